from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Case, Value, When
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import rules
from .admin_closing import close_groups
from .admin_csv import MeetingCSVAdminMixin
from .admin_forms import (
    NEW_VENUE_FIELDS,
    NEW_VENUE_PIN,
    CoordinatorFormMixin,
    MeetingAdminForm,
    meeting_summary,
    workspace_fieldsets,
)
from .admin_lists import MEETING_LIST_CELLS
from .admin_pin import PIN_MEDIA_CSS, PIN_MEDIA_JS, VenuePinMixin, pin_map
from .admin_publish import PublishingAdminMixin, publish_by_default_in_inline
from .admin_reports import ReportWorkflowMixin, SharedVenueMixin
from .models import (
    AddictionType,
    ChangeRequest,
    Commune,
    Department,
    FreshnessReminder,
    Group,
    Meeting,
    Membership,
    Movement,
    Region,
    Venue,
)
from .scoping import (
    HistoryAdminMixin,
    MovementScopedAdmin,
    ReferenceAdminMixin,
    RulesAdminMixin,
    StaleFilter,
    mark_verified,
)


@admin.register(Region)
class RegionAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "insee", "postal_codes", "department", "population"]
    list_filter = ["department"]
    search_fields = ["name", "search_name", "insee", "postal_codes"]
    list_select_related = ["department"]

    def get_search_results(self, request, queryset, search_term):
        """The public finder's look-up first (accents, "St", postal codes, big towns first)."""
        found = Commune.objects.lookup(search_term, limit=50) if search_term else []
        if found:
            order = Case(*[When(pk=c.pk, then=Value(i)) for i, c in enumerate(found)])
            return queryset.filter(pk__in=[c.pk for c in found]).order_by(order), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(AddictionType)
class AddictionTypeAdmin(ReferenceAdminMixin, TranslationAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]


@admin.register(Movement)
# Scoping first: its rules (read-only slug…) must wrap the translated fields, not the reverse.
class MovementAdmin(PublishingAdminMixin, MovementScopedAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "audience", "published", "verified_at"]
    list_filter = ["published", StaleFilter, "audience", "addictions", "is_rup"]
    search_fields = ["name", "acronym", "summary"]
    actions = [mark_verified]
    filter_horizontal = ["addictions"]
    fieldsets = [
        (
            _("Identité"),
            {"fields": ["name", "acronym", "slug", "logo", "founded_year", "history", "summary", "presentation"]},
        ),
        (_("Public et approche"), {"fields": ["audience", "audience_details", "addictions", "approach"]}),
        (_("Premier contact"), {"fields": ["privacy", "first_meeting", "easy_read"]}),
        (_("Activités"), {"fields": [*Movement.ACTIVITY_FIELDS, "activities_details"]}),
        (_("Bénévoles et partenaires"), {"fields": ["volunteer_training", "partnerships"]}),
        (
            _("Reconnaissances"),
            {"fields": ["is_rup", "rup_year", "has_national_approval", "has_ars_approval", "is_camerup_member"]},
        ),
        (_("Contacts publics"), {"fields": ["website", "helpline", "helpline_hours", "email"]}),
        (_("Professionnels et partenaires"), {"fields": Movement.PARTNER_FIELDS}),
        (_("Sources et publication"), {"fields": ["sources", "pending_checks", "published", "verified_at"]}),
    ]

    def get_prepopulated_fields(self, request, obj=None):
        # Asked per request, not declared: simple-history's version page reads the attribute as is, while the
        # slug, read-only for a coordinator, is missing from its form (a fiche's old version gave a 500).
        return {} if "slug" in rules.readonly_fields(request.user, Movement) else {"slug": ["name"]}


class MeetingInlineFormSet(BaseInlineFormSet):
    def clean(self):
        """Two new identical meetings in one save: find_duplicate sees neither, so compare here."""
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            key = form.instance.duplicate_key
            if key in seen:
                form.add_error(None, _("Cette réunion figure deux fois dans le groupe : supprimez le doublon."))
            seen.add(key)


class MeetingInline(admin.StackedInline):
    model = Meeting
    formset = MeetingInlineFormSet
    extra = 0
    autocomplete_fields = ["venue"]
    show_change_link = True
    exclude = ["is_demo"]

    # The parent group decides: whoever may change the group may change its meetings.
    def has_view_permission(self, request, obj=None):
        return rules.can_view(request.user, obj if obj is not None else Group)

    def has_change_permission(self, request, obj=None):
        return rules.can_change(request.user, obj if obj is not None else Group)

    has_add_permission = has_delete_permission = has_change_permission

    def get_formset(self, request, obj=None, **kwargs):
        return publish_by_default_in_inline(request, super().get_formset(request, obj, **kwargs))


@admin.register(Group)
class GroupAdmin(CoordinatorFormMixin, PublishingAdminMixin, MovementScopedAdmin):
    list_display = ["name", "movement", "commune", "published", "is_demo", "verified_at"]
    list_filter = [
        ("movement", admin.RelatedOnlyFieldListFilter),
        "commune__department",
        "published",
        StaleFilter,
        "is_demo",
    ]
    search_fields = ["name", "commune__name", "commune__postal_codes"]
    autocomplete_fields = ["commune"]
    list_select_related = ["movement", "commune"]
    inlines = [MeetingInline]
    actions = [mark_verified, close_groups]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The inline meetings' schedules may have changed: lists are ordered by their next occurrence.
        form.instance.meetings.all().refresh_next_occurrences()


@admin.register(Venue)
class VenueAdmin(VenuePinMixin, SharedVenueMixin, CoordinatorFormMixin, HistoryAdminMixin, SimpleHistoryAdmin):
    """Venues are shared: every coordinator may use and create them, and change or delete
    only those no other movement uses (see VenueQuerySet.editable_by)."""

    list_display = ["name", "kind", "commune", "wheelchair_accessible", "is_demo"]
    list_filter = ["kind", "commune__department", "wheelchair_accessible", "is_demo"]
    search_fields = ["name", "address", "commune__name", "postal_code"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset & Venue.objects.editable_by(request.user))


@admin.register(Meeting)
class MeetingAdmin(PublishingAdminMixin, MeetingCSVAdminMixin, MovementScopedAdmin):
    # What a coordinator looks for: which meeting, when, where, and whether the public sees it.
    list_display = [*MEETING_LIST_CELLS, "status", "published", "verified_at"]
    list_filter = [
        ("group__movement", admin.RelatedOnlyFieldListFilter),
        "group__commune__department",
        "status",
        StaleFilter,
        "type",
        "audience",
        "modality",
        "frequency",
        "published",
        "is_demo",
    ]
    search_fields = ["name", "group__name", "venue__name", "venue__commune__name", "group__commune__name"]
    autocomplete_fields = ["group", "venue"]
    list_select_related = ["group__movement", "group__commune", "venue__commune"]
    form = MeetingAdminForm
    # The essentials first, in the order one says them ("le mardi de 20h à 22h, chaque semaine, salle…").
    fieldsets = [
        (None, {"fields": ["summary", "group", "weekday", ("start_time", "end_time")]}),
        (_("Rythme"), {"fields": ["frequency", "interval", "positions"]}),
        (_("Où"), {"fields": ["modality", "venue", *NEW_VENUE_FIELDS, *NEW_VENUE_PIN, "video_url", "phone"]}),
        (_("Publication"), {"fields": ["published", "verified_at", "is_demo"]}),
        (
            _("Suspension ou fermeture"),
            {"fields": ["status", ("suspended_from", "suspended_until"), "closed_on"], "classes": ["collapse"]},
        ),
        (
            _("Plus de détails"),
            {"fields": ["name", "type", "audience", "languages", "starts_on", "notes"], "classes": ["collapse"]},
        ),
    ]
    actions = [mark_verified]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Lists are ordered by the next occurrence: a changed schedule moves the meeting at once.
        Meeting.objects.filter(pk=obj.pk).refresh_next_occurrences()

    readonly_fields = ["summary", "new_venue_map"]

    class Media:
        js = PIN_MEDIA_JS
        css = PIN_MEDIA_CSS

    def get_fieldsets(self, request, obj=None):
        return workspace_fieldsets(request, super().get_fieldsets(request, obj), obj)

    @admin.display(description=_("En clair"))
    def summary(self, obj):
        return meeting_summary(obj)

    @admin.display(description=_("Position du nouveau lieu"))
    def new_venue_map(self, obj):
        return pin_map("new_venue_latitude", "new_venue_longitude", "new_venue_commune", group="group")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReportWorkflowMixin, MovementScopedAdmin):
    list_display = ["target_label", "state", "edit_target", "movement", "created_at", "handled_by"]
    list_filter = ["state", ("movement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["target_label", "message"]
    list_select_related = ["movement", "handled_by"]
    date_hierarchy = "created_at"
    fields = ["public_link", "movement", "target_label", "message", "contact", "created_at", "state", "note"]
    readonly_fields = ["public_link", "movement", "target_label", "message", "contact", "created_at"]
    change_list_template = "admin/change_list.html"

    # Requests are not versioned: no trash, and Django's own admin log as their history.
    object_history_template = None

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Contact data is for the movement's coordinators and administrators only, not observers.
        if obj is not None and not self.has_change_permission(request, obj):
            fields.remove("contact")
        return fields

    @admin.display(description=_("page publique"))
    def public_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.target_label)

    @admin.display(description=_("correction"))
    def edit_target(self, obj):
        return ReportWorkflowMixin.edit_target(obj)

    def save_model(self, request, obj, form, change):
        if obj.state == ChangeRequest.State.NEW:
            obj.handled_by, obj.handled_at = None, None
        elif "state" in form.changed_data or obj.handled_at is None:
            obj.handled_by, obj.handled_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class MembershipInline(RulesAdminMixin, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["movement"]


@admin.register(Membership)
class MembershipAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "movement", "role", "created_at"]
    list_filter = ["role", "movement"]
    search_fields = ["user__username", "user__email", "movement__name"]
    autocomplete_fields = ["user", "movement"]
    list_select_related = ["user", "movement"]


@admin.register(FreshnessReminder)
class FreshnessReminderAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ["user", "sent_at", "entry_count"]
    list_select_related = ["user"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CoordinatorUserAdmin(RulesAdminMixin, UserAdmin):
    inlines = [MembershipInline]
    list_filter = [*UserAdmin.list_filter, "memberships__movement"]


from . import admin_sources  # noqa: E402, F401  (sources and imported meetings: directory/admin_sources.py)
