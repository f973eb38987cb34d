"""Reports become changes (issue 15, item 5): from a public report to the edit it asks for, and a reply.

- "Modifier la réunion" (or the group, or the fiche) on each report, for whoever may change it;
- states nouveau / en cours / traité / rejeté (the model's), handled by and when recorded by the admin;
- a reply by e-mail to the reporter when the contact given is an address, kept in the internal note.
"""

from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .services import MAIL_ERRORS

EDIT_LABELS = {
    "meeting": _("Modifier la réunion"),
    "group": _("Modifier le groupe"),
    "movement": _("Modifier la fiche du mouvement"),
}


class ChangeRequestAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("répondre par courriel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyé à la personne à l'enregistrement, et gardé dans la note interne."),
    )


def edit_url(obj):
    """The admin page of what the report is about, from ids alone (no query per row of the list)."""
    for name in ("meeting", "group", "movement"):
        pk = getattr(obj, f"{name}_id")
        if pk is not None:
            return reverse(f"admin:directory_{name}_change", args=[pk]), EDIT_LABELS[name]
    return None, None


class ReportWorkflowMixin:
    form = ChangeRequestAdminForm

    @staticmethod
    def _can_reply(request, obj, can_change):
        return obj is not None and can_change and bool(obj.reply_address)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "reply" in fields:
            fields.remove("reply")
        if self._can_reply(request, obj, obj is not None and self.has_change_permission(request, obj)):
            fields.insert(fields.index("note") + 1 if "note" in fields else len(fields), "reply")
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            target = obj.target
            target_admin = self.admin_site.get_model_admin(type(target))
            if target_admin.has_change_permission(request, target):
                extra["report_edit_url"], extra["report_edit_label"] = edit_url(obj)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @staticmethod
    def edit_target(obj):
        url, label = edit_url(obj)
        return format_html('<a href="{}">{}</a>', url, label) if url else ""

    def save_model(self, request, obj, form, change):
        text = form.cleaned_data.get("reply", "").strip()
        if text and obj.reply_address:
            try:
                obj.reply(text, request.user)
            except MAIL_ERRORS:
                self.message_user(
                    request,
                    _("La réponse n'a pas pu être envoyée (serveur de courriel injoignable) : réessayez plus tard."),
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Réponse envoyée à %(address)s.") % {"address": obj.reply_address})
        super().save_model(request, obj, form, change)
