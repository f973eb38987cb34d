"""Saved, and visible? What a coordinator is told after saving a movement's entry (issue 15, item 2).

- A group or meeting entered by its movement's coordinator starts published and checked
  today: she is the movement, nobody else will tick the box later.
- After each save, a message says whether the public sees the entry, links to its public
  page when it does, and otherwise says why, with a one-click fix where one exists.

The reasons come from the models (`hidden_reasons`), which read the same fields as the
public querysets; permissions from the admins' own `has_change_permission`.
"""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .models import Group, Movement, is_regional_admin
from .rules import is_coordinator

FIX_LABELS = {
    "meeting": _("Publier la réunion"),
    "group": _("Publier le groupe"),
    "movement": _("Publier la fiche du mouvement"),
}


def publishes_by_default(request):
    """A movement's own coordinator vouches for what she enters; administrators choose each time."""
    return is_coordinator(request.user) and not is_regional_admin(request.user)


def _owner(obj, what):
    """The entry that `what` (a hidden reason's key) asks to change, seen from `obj`."""
    if what == "meeting" or what == "closed":
        return obj
    group = obj if isinstance(obj, Group) else getattr(obj, "group", None)
    if what == "group":
        return group
    return obj if isinstance(obj, Movement) else group.movement


def _hidden_reasons(obj):
    if isinstance(obj, Movement):
        return [] if obj.published else [("movement", _("la fiche du mouvement n'est pas publiée"))]
    return obj.hidden_reasons()


def _fix_button(request, site, target, what, back):
    admin_ = site.get_model_admin(type(target))
    if what not in FIX_LABELS or not admin_.has_change_permission(request, target):
        return ""
    opts = target._meta
    return format_html(
        '<form method="post" action="{}" class="publish-fix">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<button type="submit" class="button">{}</button></form>',
        reverse(f"admin:{opts.app_label}_{opts.model_name}_publish", args=[target.pk]),
        get_token(request),
        back,
        FIX_LABELS[what],
    )


def visibility_message(request, site, obj):
    """(level, safe HTML) telling whether the public sees `obj`, and how to fix it when it does not."""
    reasons = _hidden_reasons(obj)
    if not reasons:
        text = format_html(
            '{} <a href="{}">{}</a>', _("Visible par le public :"), obj.get_absolute_url(), _("voir la page publique")
        )
        note = getattr(obj, "suspension_note", "")
        if note:
            text = format_html("{} ({})", text, note)
        return messages.SUCCESS, text
    opts = obj._meta
    back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    why = format_html_join(_(" ; "), "{}", ((reason,) for _what, reason in reasons))
    fixes = format_html_join(
        "", "{}", ((_fix_button(request, site, _owner(obj, what), what, back),) for what, _reason in reasons)
    )
    return messages.WARNING, format_html("{} {}. {}", _("Pas encore visible par le public :"), why, fixes)


class PublishingAdminMixin:
    """Publish by default, say what is visible after a save, and the one-click "Publier" behind the message."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if publishes_by_default(request):
            initial.setdefault("published", True)
            initial.setdefault("verified_at", timezone.localdate())
        return initial

    def view_on_site(self, obj):
        # "Voir sur le site" on an entry the public cannot see would be a 404.
        return None if _hidden_reasons(obj) else obj.get_absolute_url()

    def _tell_visibility(self, request, obj):
        if IS_POPUP_VAR not in request.POST:
            level, text = visibility_message(request, self.admin_site, obj)
            self.message_user(request, text, level)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._tell_visibility(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._tell_visibility(request, obj)
        return response

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publier/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if not obj.published:
            obj.published = True
            obj._history_user = request.user
            obj.save(update_fields=["published", "updated_at"])
        self._tell_visibility(request, obj)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(back)


def publish_by_default_in_inline(request, formset):
    """The meetings added inline on a group's page follow the same default as the meeting page."""
    if publishes_by_default(request) and "published" in formset.form.base_fields:
        formset.form.base_fields["published"].initial = True
        if "verified_at" in formset.form.base_fields:
            formset.form.base_fields["verified_at"].initial = timezone.localdate
    return formset
