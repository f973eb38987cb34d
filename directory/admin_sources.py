"""Admin of meeting sources and of the meetings they brought in (conflicts to resolve).

Coordinators manage their own movement's sources (MovementScopedAdmin's rules).
A run never applies what nobody saw: "Prévisualiser" fetches and shows the
difference, "Confirmer" applies exactly that payload; only a trusted source
already confirmed once is applied by `sync_sources` on its own.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .importers import sync
from .importers.fetch import MAX_BYTES
from .importers.records import PayloadError
from .models import ImportedRecord, Source
from .scoping import MovementScopedAdmin


class SourceForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("fichier"),
        required=False,
        help_text=_("À la place d'une adresse : un fichier JSON ou CSV de 5 Mo au plus, en UTF-8."),
    )

    class Meta:
        model = Source
        fields = ["movement", "name", "kind", "url", "filter", "trusted", "licence", "missed_runs_to_close", "active"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        try:
            return sync.decode(upload.read())
        except PayloadError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("upload") or (self.instance.pk and self.instance.uploaded_data)
        if not cleaned.get("url") and not has_file:
            raise forms.ValidationError(_("Indiquez l'adresse de la liste, ou déposez un fichier."))
        if cleaned.get("url") and cleaned.get("upload"):
            raise forms.ValidationError(_("Une adresse ou un fichier, pas les deux."))
        return cleaned


@admin.register(Source)
class SourceAdmin(MovementScopedAdmin):
    form = SourceForm
    list_display = ["name", "movement", "kind", "status", "last_run_at", "last_synced_at", "trusted", "active"]
    list_filter = [("movement", admin.RelatedOnlyFieldListFilter), "kind", "status", "trusted", "active"]
    search_fields = ["name", "url"]
    list_select_related = ["movement"]
    readonly_fields = ["status", "last_run_at", "last_synced_at", "report"]
    change_form_template = "admin/directory/source/change_form.html"

    def get_fields(self, request, obj=None):
        fields = [*SourceForm.Meta.fields[:4], "upload", *SourceForm.Meta.fields[4:]]
        return fields + (self.readonly_fields if obj else [])

    @admin.display(description=_("compte rendu du dernier passage"))
    def report(self, obj):
        return render_to_string("admin/directory/source/report.html", {"report": obj.last_report, "source": obj})

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("upload"):
            obj.uploaded_data = form.cleaned_data["upload"]
            obj.url = ""
        elif obj.url:
            obj.uploaded_data = ""
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/previsualiser/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<int:pk>/confirmer/",
                self.admin_site.admin_view(self.confirm_view),
                name="{}_{}_confirm".format(*info),
            ),
            *super().get_urls(),
        ]

    def _source_for_run(self, request, pk):
        if request.method != "POST":
            return None
        source = get_object_or_404(self.get_queryset(request).select_related("movement"), pk=pk)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        return source

    def preview_view(self, request, pk):
        source = self._source_for_run(request, pk)
        if source is None:
            return HttpResponseNotAllowed(["POST"])
        sync.preview(source, user=request.user)
        source.refresh_from_db()
        if source.status == Source.Status.ERROR:
            self.message_user(
                request, _("Échec : %(error)s") % {"error": source.last_report.get("error")}, messages.ERROR
            )
        else:
            self.message_user(request, _("Différence calculée : vérifiez-la ci-dessous, puis confirmez."))
        return HttpResponseRedirect(reverse("admin:directory_source_change", args=[source.pk]))

    def confirm_view(self, request, pk):
        source = self._source_for_run(request, pk)
        if source is None:
            return HttpResponseNotAllowed(["POST"])
        try:
            report = sync.confirm(source, user=request.user)
        except PayloadError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            if "error" in report:
                self.message_user(request, _("Échec : %(error)s") % {"error": report["error"]}, messages.ERROR)
                return HttpResponseRedirect(reverse("admin:directory_source_change", args=[source.pk]))
            self.message_user(
                request,
                _("Synchronisation appliquée : %(created)s créée(s), %(changed)s modifiée(s), %(closed)s fermée(s).")
                % {
                    "created": len(report["created"]),
                    "changed": len(report["changed"]),
                    "closed": len(report["closed"]),
                },
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:directory_source_change", args=[source.pk]))


class ConflictFilter(admin.SimpleListFilter):
    title = _("conflits")
    parameter_name = "conflit"

    def lookups(self, request, model_admin):
        return [("oui", _("Modifiée ici et à la source"))]

    def queryset(self, request, queryset):
        return queryset.with_conflicts() if self.value() == "oui" else queryset


@admin.action(
    description=_("Garder la version de l'annuaire (ignorer ce changement de la source)"),
    permissions=["change"],
)
def keep_local(modeladmin, request, queryset):
    count = 0
    for record in queryset.for_user(request.user, editable=True).with_conflicts():
        sync.keep_local(record)
        count += 1
    modeladmin.message_user(request, _("%(count)s conflit(s) résolu(s).") % {"count": count})


@admin.action(description=_("Reprendre la version de la source"), permissions=["change"])
def take_source(modeladmin, request, queryset):
    count, failed = 0, []
    for record in queryset.for_user(request.user, editable=True).with_conflicts().select_related("meeting", "source"):
        try:
            sync.take_source(record, user=request.user)
            count += 1
        except forms.ValidationError as error:
            failed.append(f"{record.external_id} : {' '.join(error.messages)}")
    modeladmin.message_user(request, _("%(count)s conflit(s) résolu(s).") % {"count": count})
    if failed:
        modeladmin.message_user(request, _("Non appliqué : %(list)s") % {"list": " ; ".join(failed)}, messages.ERROR)


@admin.register(ImportedRecord)
class ImportedRecordAdmin(MovementScopedAdmin):
    list_display = ["external_id", "meeting_link", "source", "conflict_fields", "missed_runs", "closed_by_sync"]
    list_filter = [ConflictFilter, ("source", admin.RelatedOnlyFieldListFilter), "closed_by_sync"]
    search_fields = ["external_id", "meeting__name", "meeting__group__name"]
    list_select_related = ["source", "meeting__group"]
    fields = [
        "source",
        "external_id",
        "meeting_link",
        "conflict_table",
        "missed_runs",
        "closed_by_sync",
        "last_seen_at",
    ]
    readonly_fields = fields
    actions = [keep_local, take_source]
    change_list_template = "admin/change_list.html"
    # Records are bookkeeping, not versioned: no trash, Django's own log as their history.
    object_history_template = None

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def movement_id_of(self, obj):
        return obj.source.movement_id

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("réunion"))
    def meeting_link(self, obj):
        if obj.meeting_id is None:
            return _("supprimée dans l'annuaire (la source ne la recrée pas)")
        url = reverse("admin:directory_meeting_change", args=[obj.meeting_id])
        return format_html('<a href="{}">{}</a>', url, obj.meeting.title)

    @admin.display(description=_("champs en conflit"))
    def conflict_fields(self, obj):
        return ", ".join(sync.field_label(field) for field in obj.conflicts)

    @admin.display(description=_("conflits"))
    def conflict_table(self, obj):
        return render_to_string("admin/directory/source/conflicts.html", {"rows": sync.conflict_rows(obj)})
