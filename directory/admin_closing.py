""" "Fermer ce groupe": a group that stops closes all its meetings as of a date (issue 15, item 4).

The group stays published: its page then says that it has stopped meeting and points to
meetings nearby, rather than leaving bookmarks and printed lists on a 404.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Meeting


class CloseGroupsForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Dernière réunion tenue le, ou fermé depuis le"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Aujourd'hui ou une date passée."),
    )

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("La date doit être aujourd'hui ou passée : pour une pause à venir, suspendez les réunions.")
            )
        return day


@admin.action(description=_("Fermer ce(s) groupe(s) : fin de toutes leurs réunions"), permissions=["change"])
def close_groups(modeladmin, request, queryset):
    groups = queryset.for_user(request.user, editable=True)
    form = CloseGroupsForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["closed_on"]
        closed = Meeting.objects.filter(group__in=groups).close(day, request.user)
        modeladmin.message_user(
            request,
            _("%(groups)s groupe(s) fermé(s), %(meetings)s réunion(s) fermée(s) au %(day)s.")
            % {"groups": groups.count(), "meetings": closed, "day": f"{day:%d/%m/%Y}"},
            messages.SUCCESS,
        )
        return None
    if not form.is_bound:
        form = CloseGroupsForm(initial={"closed_on": timezone.localdate()})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Fermer ce(s) groupe(s)"),
        "opts": modeladmin.opts,
        "groups": groups.select_related("commune"),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/directory/group/close.html", context)
