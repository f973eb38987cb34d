"""Reports become changes (issue 15, item 5): from a public report to the edit it asks for, and a reply.

- "Modifier la réunion" (or the group, or the fiche) on each report, for whoever may change it;
- states nouveau / en cours / traité / rejeté (the model's), handled by and when recorded by the admin;
- a reply by e-mail to the reporter when the contact given is an address, kept in the internal note;
- a shared venue, read-only for a coordinator, says why and takes a proposed correction for the administrators.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import rules
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


class VenueCorrectionForm(forms.Form):
    proposal = forms.CharField(
        label=_("Correction proposée"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui est inexact (adresse, accès, nom…) : les administrateurs régionaux la reportent."),
    )


def regional_administrators():
    """Active administrators reachable by e-mail (superusers and the regional administrators' group)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return users.filter(Q(is_superuser=True) | Q(groups__name=rules.REGIONAL_ADMINS_GROUP)).distinct()


class SharedVenueMixin:
    """A venue another movement also uses opens read-only for a coordinator: say why, and let her
    propose a correction to the administrators instead (issue 15, item 5)."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/proposer-une-correction/",
                self.admin_site.admin_view(self.propose_correction_view),
                name="directory_venue_propose",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None and not self.has_change_permission(request, obj) and rules.is_coordinator(request.user):
            extra = {"shared_venue": True, "correction_form": VenueCorrectionForm()}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def propose_correction_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        venue = self.get_object(request, object_id)
        if venue is None or not rules.is_coordinator(request.user):
            raise PermissionDenied
        form = VenueCorrectionForm(request.POST)
        back = reverse("admin:directory_venue_change", args=[venue.pk])
        if not form.is_valid():
            self.message_user(request, _("Décrivez la correction proposée."), messages.ERROR)
            return HttpResponseRedirect(back)
        body = render_to_string(
            "directory/emails/venue_correction.txt",
            {
                "venue": venue,
                "user": request.user,
                "proposal": form.cleaned_data["proposal"],
                "admin_url": settings.SITE_URL + back,
            },
        )
        subject = str(_("[Entraide Grand Est] Correction proposée pour le lieu « %(venue)s »") % {"venue": venue})
        sent = 0
        for admin_user in regional_administrators():
            try:
                reply_to = [request.user.email] if request.user.email else None
                EmailMessage(subject[:150], body, to=[admin_user.email], reply_to=reply_to).send()
                sent += 1
            except MAIL_ERRORS:
                pass
        if sent:
            self.message_user(request, _("Merci : votre correction a été transmise aux administrateurs régionaux."))
        else:
            self.message_user(
                request, _("La correction n'a pas pu être transmise : réessayez plus tard."), messages.ERROR
            )
        return HttpResponseRedirect(back)
