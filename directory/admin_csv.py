"""The meetings admin's CSV pages: export of the filtered changelist, and import with a preview."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import meeting_csv
from .csv_format import ADMIN_COLUMNS, CSVFileError
from .models import Meeting


class MeetingImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"), help_text=_("UTF-8, séparateur « ; » ou « , », 5 Mo au plus."))


class MeetingCSVAdminMixin:
    """Adds /export/ and /import/ to a ModelAdmin of meetings (links in scoped_change_list.html)."""

    import_session_key = "meeting_import"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"import_export": True, **(extra_context or {})})

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="directory_meeting_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="directory_meeting_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The rows the changelist shows for the same query string (filters, search), all pages."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            # The changelist starts from get_queryset(), already limited to the user's movements:
            # parameters can only narrow it.
            meetings = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                gettext("Filtre invalide : revenez à la liste des réunions et choisissez-le à nouveau."),
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reunions.csv"'
        response.writelines(meeting_csv.export(meetings))
        return response

    def import_view(self, request):
        """Upload → dry-run preview with each row's errors → confirm (re-validated) → written."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MeetingImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer des réunions (CSV)"),
            "opts": self.opts,
            "form": form,
            "columns": [column.header for column in ADMIN_COLUMNS],
        }
        session_key = self.import_session_key
        if request.method == "POST" and request.POST.get("confirm"):
            stored = request.session.get(session_key) or {}
            if stored.get("token") != request.POST["confirm"]:
                self.message_user(request, _("Cet import a expiré : envoyez le fichier à nouveau."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            result = meeting_csv.import_rows(meeting_csv.parse_text(stored["text"]), request.user, dry_run=False)
            del request.session[session_key]
            if result.ok:
                # Imported schedules: lists are ordered by each meeting's next occurrence.
                Meeting.objects.refresh_next_occurrences()
                self.message_user(
                    request,
                    _("Import terminé : %(created)s réunion(s) créée(s), %(updated)s modifiée(s).")
                    % {"created": result.created, "updated": result.updated},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:directory_meeting_changelist"))
            context["result"] = result
        elif request.method == "POST" and form.is_valid():
            try:
                text = meeting_csv.read_upload(form.cleaned_data["file"])
                rows = meeting_csv.parse_text(text)
            except CSVFileError as error:
                form.add_error("file", str(error))
            else:
                result = meeting_csv.import_rows(rows, request.user, dry_run=True)
                context["result"] = result
                if result.ok:
                    # Kept server-side until confirmed; the confirmation re-validates everything.
                    token = secrets.token_urlsafe(16)
                    request.session[session_key] = {"token": token, "text": text}
                    context["token"] = token
        return TemplateResponse(request, "admin/directory/meeting/import.html", context)
