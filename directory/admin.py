from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AddictionType, Commune, Department, Group, Meeting, Movement, Region, Venue


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "postal_codes", "department", "population"]
    list_filter = ["department"]
    search_fields = ["name", "search_name", "insee", "postal_codes"]
    list_select_related = ["department"]


@admin.register(AddictionType)
class AddictionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "audience", "published", "verified_at"]
    list_filter = ["published", "audience", "addictions", "is_rup"]
    search_fields = ["name", "acronym", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["addictions"]
    fieldsets = [
        (
            _("Identité"),
            {"fields": ["name", "acronym", "slug", "logo", "founded_year", "history", "summary", "presentation"]},
        ),
        (_("Public et approche"), {"fields": ["audience", "audience_details", "addictions", "approach"]}),
        (
            _("Activités"),
            {
                "fields": [
                    "offers_permanences",
                    "offers_home_visits",
                    "offers_care_visits",
                    "offers_prison_visits",
                    "offers_accompaniment",
                    "offers_meetings",
                    "offers_prevention",
                    "activities_details",
                ]
            },
        ),
        (_("Bénévoles et partenaires"), {"fields": ["volunteer_training", "partnerships"]}),
        (
            _("Reconnaissances"),
            {"fields": ["is_rup", "rup_year", "has_national_approval", "has_ars_approval", "is_camerup_member"]},
        ),
        (_("Contacts publics"), {"fields": ["website", "helpline", "helpline_hours", "email"]}),
        (_("Sources et publication"), {"fields": ["sources", "pending_checks", "published", "verified_at"]}),
    ]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ["venue"]
    show_change_link = True


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "movement", "commune", "published", "is_demo", "verified_at"]
    list_filter = ["movement", "commune__department", "published", "is_demo"]
    search_fields = ["name", "commune__name", "commune__postal_codes"]
    autocomplete_fields = ["commune"]
    list_select_related = ["movement", "commune"]
    inlines = [MeetingInline]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "wheelchair_accessible", "is_demo"]
    list_filter = ["kind", "commune__department", "wheelchair_accessible", "is_demo"]
    search_fields = ["name", "address", "commune__name", "postal_code"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "type", "audience", "modality", "status", "published", "verified_at"]
    list_filter = [
        "group__movement",
        "group__commune__department",
        "status",
        "type",
        "audience",
        "modality",
        "frequency",
        "published",
        "is_demo",
    ]
    search_fields = ["name", "group__name", "venue__name", "venue__commune__name", "group__commune__name"]
    autocomplete_fields = ["group", "venue"]
    list_select_related = ["group__movement", "venue__commune"]
    fieldsets = [
        (None, {"fields": ["group", "name", "type", "audience", "languages"]}),
        (
            _("Récurrence"),
            {"fields": ["frequency", "interval", "weekday", "positions", "starts_on", "start_time", "end_time"]},
        ),
        (_("Statut"), {"fields": ["status", "suspended_until"]}),
        (_("Où"), {"fields": ["modality", "venue", "video_url", "phone", "notes"]}),
        (_("Publication"), {"fields": ["published", "is_demo", "verified_at"]}),
    ]
