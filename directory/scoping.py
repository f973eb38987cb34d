"""Admin building blocks that keep each coordinator inside their own movements.

Rules (documented in README, "Coordinators"):
- regional administrators (superusers, "Administrateurs régionaux" group) may do everything;
- a coordinator sees and changes only the rows of the movements they coordinate;
- an observer sees the rows of the movements they observe, and changes nothing;
- reference data (territories, addictions, charter) is read-only for both.

Every check is made twice: on the queryset (list, change URL, autocomplete,
actions) and on the object (crafted POST, history, revert, restore), so that no
path relies on another one having filtered first.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Group, Membership, Movement, is_regional_admin
from .services import restore_deleted


def movement_ids(request, editable=False):
    """Movement ids the user coordinates (`editable`) or can see, cached on the request."""
    cache = request.__dict__.setdefault("_movement_ids", {})
    if editable not in cache:
        cache[editable] = set(
            Membership.movement_ids(request.user, editable=editable).values_list("movement", flat=True)
        )
    return cache[editable]


def is_member(request):
    return request.user.is_active and request.user.is_staff and bool(movement_ids(request))


def is_coordinator(request):
    return request.user.is_active and request.user.is_staff and bool(movement_ids(request, editable=True))


class ReferenceAdminMixin:
    """Reference data: readable by every coordinator and observer, changed by administrators only."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_member(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_member(request)


class HistoryAdminMixin:
    """Safer simple-history views, plus a "Corbeille" listing deleted rows with a restore button."""

    change_list_template = "admin/scoped_change_list.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Only administrators mark demonstration data: ticked by mistake, it drops a real entry from every export.
        if not is_regional_admin(request.user) and any(f.name == "is_demo" for f in self.model._meta.fields):
            fields.append("is_demo")
        return fields

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a revert when the user can merely *view* the object: require change.
        if request.method == "POST":
            record = get_object_or_404(
                self.model.revisions.model,
                **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id},
            )
            if not self.has_change_permission(request, record.instance):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("corbeille/", self.admin_site.admin_view(self.trash_view), name="{}_{}_trash".format(*info)),
            path(
                "corbeille/<int:history_id>/restaurer/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_records(self):
        """The last historical row of each object that no longer exists."""
        history = self.model.revisions
        live = self.model._default_manager.values("pk")
        return history.filter(history_type="-").exclude(id__in=live).order_by("-history_date")

    def can_restore(self, request, record):
        return self.has_change_permission(request, record.instance) and self.has_add_permission(request)

    def trash_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        records, seen = [], set()
        for record in self.deleted_records().select_related("history_user")[:1000]:
            # An object deleted, restored and deleted again has several "-" rows: keep the latest.
            if record.id in seen:
                continue
            seen.add(record.id)
            instance = record.instance
            if self.has_view_permission(request, instance):
                records.append((record, self.can_restore(request, record)))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Corbeille : %(name)s supprimé(e)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "records": records[:200],
        }
        return TemplateResponse(request, "admin/trash.html", context)

    def restore_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = get_object_or_404(self.deleted_records(), history_id=history_id)
        if not self.can_restore(request, record):
            raise PermissionDenied
        try:
            with transaction.atomic():
                restored = restore_deleted(record, request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("Impossible de restaurer « %(obj)s » : %(error)s")
                % {"obj": record, "error": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_trash"))
        self.message_user(
            request,
            _("« %(obj)s » a été restauré (%(count)s élément(s) au total).")
            % {"obj": restored[0], "count": len(restored)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[restored[0].pk])
        )


class MovementScopedAdmin(HistoryAdminMixin, SimpleHistoryAdmin):
    """An admin whose rows belong to one movement; see the module docstring for the rules."""

    def movement_id_of(self, obj):
        return obj.movement_id

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def _allowed(self, request, obj, editable):
        if is_regional_admin(request.user):
            return True
        if not (request.user.is_active and request.user.is_staff):
            return False
        ids = movement_ids(request, editable=editable)
        if obj is None:
            return bool(ids)
        return self.movement_id_of(obj) in ids

    def has_module_permission(self, request):
        return self._allowed(request, None, editable=False)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, editable=False)

    def has_add_permission(self, request):
        return self._allowed(request, None, editable=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, editable=True)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, editable=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A coordinator can only choose among their own movements and groups; an id
        # from elsewhere in a crafted POST fails validation ("choix valide").
        if db_field.related_model is Movement:
            kwargs["queryset"] = Movement.objects.for_user(request.user, editable=True)
        elif db_field.related_model is Group:
            kwargs["queryset"] = Group.objects.for_user(request.user, editable=True).select_related("commune")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Re-checked on the object about to be written, whatever the form allowed.
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.for_user(request.user, editable=True))

    def delete_model(self, request, obj):
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)


class StaleFilter(admin.SimpleListFilter):
    title = _("fraîcheur")
    parameter_name = "fraicheur"

    def lookups(self, request, model_admin):
        return [("perimee", _("Non vérifié depuis plus de 6 mois")), ("a-jour", _("Vérifié depuis moins de 6 mois"))]

    def queryset(self, request, queryset):
        if self.value() == "perimee":
            return queryset.stale()
        if self.value() == "a-jour":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


@admin.action(description=_("Confirmer que c'est à jour"), permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    today = timezone.localdate()
    count = 0
    # One save per row rather than update(): each confirmation lands in the history.
    for obj in queryset.for_user(request.user, editable=True):
        obj.verified_at = today
        obj._history_user = request.user
        obj.save(update_fields=["verified_at", "updated_at"])
        count += 1
    modeladmin.message_user(request, _("%(count)s élément(s) confirmé(s) à jour ce jour.") % {"count": count})
