"""Admin building blocks that keep each coordinator inside their own movements.

Every decision is directory.rules' (the rules are stated there and in README,
"Coordinators"); this module only asks it, twice: on the queryset (list, change
URL, autocomplete, actions, export) and on the object (crafted POST, history,
revert, restore), so that no path relies on another one having filtered first.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import rules
from .models import Group, Movement
from .services import restore_deleted


class RulesAdminMixin:
    """The ModelAdmin permission hooks, answered by directory.rules for this admin's model."""

    def has_module_permission(self, request):
        return rules.can_view(request.user, self.model)

    def has_view_permission(self, request, obj=None):
        return rules.can_view(request.user, obj if obj is not None else self.model)

    def has_add_permission(self, request, obj=None):
        return rules.can_add(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return rules.can_change(request.user, obj if obj is not None else self.model)

    def has_delete_permission(self, request, obj=None):
        return rules.can_delete(request.user, obj if obj is not None else self.model)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *rules.readonly_fields(request.user, self.model)]

    # The demo flag is an administrator's business (directory.rules.readonly_fields): not a column or filter of hers.
    def get_list_display(self, request):
        return self._without_demo_flag(request, super().get_list_display(request))

    def get_list_filter(self, request):
        return self._without_demo_flag(request, super().get_list_filter(request))

    @staticmethod
    def _without_demo_flag(request, names):
        return list(names) if rules.is_regional_admin(request.user) else [name for name in names if name != "is_demo"]

    def get_prepopulated_fields(self, request, obj=None):
        readonly = rules.readonly_fields(request.user, self.model)
        return {k: v for k, v in super().get_prepopulated_fields(request, obj).items() if k not in readonly}

    def save_model(self, request, obj, form, change):
        # Re-checked on the object about to be written, whatever the form allowed.
        allowed = rules.can_change(request.user, obj) if change else rules.can_add(request.user, self.model)
        if not allowed:
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not rules.can_delete(request.user, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    # Django's own messages after a save or a delete speak of "l'objet réunion « … »": said plainly instead.
    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        plain = getattr(request, "_plain_message", None)
        if plain is not None and level == messages.SUCCESS:
            message = format_html("{} « {} ».", plain[0], plain[1])
        super().message_user(request, message, level, *args, **kwargs)

    def _plainly(self, request, verb, obj, respond):
        request._plain_message = (verb, obj)
        try:
            return respond()
        finally:
            del request._plain_message

    def response_add(self, request, obj, *args, **kwargs):
        parent = super().response_add
        return self._plainly(request, _("Ajouté :"), obj, lambda: parent(request, obj, *args, **kwargs))

    def response_change(self, request, obj):
        parent = super().response_change
        return self._plainly(request, _("Enregistré :"), obj, lambda: parent(request, obj))

    def response_delete(self, request, obj_display, obj_id):
        parent = super().response_delete
        return self._plainly(request, _("Supprimé :"), obj_display, lambda: parent(request, obj_display, obj_id))


class ReferenceAdminMixin(RulesAdminMixin):
    """Reference data: readable by every coordinator and observer, changed by administrators only."""


class HistoryAdminMixin(RulesAdminMixin):
    """Safer simple-history views, plus a "Corbeille" listing deleted rows with a restore button."""

    change_list_template = "admin/scoped_change_list.html"
    # simple-history's pages, in plain French (no "objet", no "Historical réunions").
    object_history_template = "admin/history.html"
    object_history_list_template = "admin/history_list.html"
    object_history_form_template = "admin/history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history checks the version only, and saves a revert when the user may merely *view* it:
        # the current row decides too (an object moved to another movement stays out of reach).
        object_id = unquote(object_id)
        version = get_object_or_404(
            self.model.revisions.model, **{self.model._meta.pk.attname: object_id, "history_id": version_id}
        )
        current = self.model._default_manager.filter(pk=object_id).first()
        if current is None:
            latest = self.model.revisions.filter(**{self.model._meta.pk.attname: object_id}).latest("history_date")
            shown = latest.instance
        else:
            shown = current
        if not (rules.can_view(request.user, shown) and rules.can_view(request.user, version.instance)):
            raise PermissionDenied
        if request.method == "POST" and not rules.can_restore(request.user, version, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not rules.can_change(request.user, obj or self.model)

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

    def trash_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        latest, seen = [], set()
        for record in self.deleted_records().select_related("history_user")[:1000]:
            # An object deleted, restored and deleted again has several "-" rows: keep the latest.
            if record.id not in seen:
                seen.add(record.id)
                latest.append(record)
        records = []
        for record, instance in zip(latest, deleted_instances(self.model, latest), strict=True):
            if rules.can_view(request.user, instance):
                record.trash_label = _deleted_label(instance)
                records.append((record, rules.can_restore(request.user, record, instance=instance)))
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
        if not rules.can_restore(request.user, record):
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


def _as_deleted(record):
    """The object as `record` saved it, built from the record's own columns.

    simple-history's `record.instance` also reads the excluded fields from the live row: one query
    per record, for a row that no longer exists anyway.
    """
    model = record.instance_type
    columns = {field.attname for field in record._meta.concrete_fields}
    instance = model(
        **{
            field.attname: getattr(record, field.attname)
            for field in model._meta.concrete_fields
            if field.attname in columns
        }
    )
    instance._state.adding = False
    return instance


def deleted_instances(model, records):
    """The objects of `records` as they were deleted, each with the rows its foreign keys point to
    (the live row, or its own last version when it was deleted too): a query per foreign key, not per row."""
    instances = [_as_deleted(record) for record in records]
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        related = field.related_model
        ids = {getattr(instance, field.attname) for instance in instances} - {None}
        if not ids:
            continue
        rows = related._default_manager.in_bulk(ids)
        gone = ids - rows.keys()
        if gone and hasattr(related, "revisions"):
            pk = related._meta.pk.attname
            for version in related.revisions.filter(**{f"{pk}__in": gone}).order_by("history_date"):
                rows[getattr(version, pk)] = _as_deleted(version)  # the last one wins
        for instance in instances:
            row = rows.get(getattr(instance, field.attname))
            if row is not None:
                field.set_cached_value(instance, row)
    return instances


def _deleted_label(instance):
    try:
        return str(instance)
    except ObjectDoesNotExist:
        # A row its foreign key points to left no version behind: name the object by its number.
        return f"{capfirst(instance._meta.verbose_name)} n° {instance.pk}"


class MovementScopedAdmin(HistoryAdminMixin, SimpleHistoryAdmin):
    """An admin whose rows belong to one movement (ScopedQuerySet.movement_path)."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A coordinator can only choose among their own movements and groups; an id
        # from elsewhere in a crafted POST fails validation ("choix valide").
        if db_field.related_model is Movement:
            kwargs["queryset"] = Movement.objects.for_user(request.user, editable=True)
        elif db_field.related_model is Group:
            kwargs["queryset"] = Group.objects.for_user(request.user, editable=True).select_related("commune")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.for_user(request.user, editable=True))


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
