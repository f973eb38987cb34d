"""The first screen after login (issue 15, item 1), and the report count in the admin's menu.

entraide.admin_site.EntraideAdminSite serves them: its index() and each_context() ask this module.

A coordinator lands on "her" movements, by name, with what needs her: new reports,
entries not checked for six months, unpublished or suspended ones; each count links
to the very list it counts (same filter, same scoping). Administrators keep Django's
index, with the same counts over every movement above it.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest, Group, Meeting, Movement, is_regional_admin
from .rules import is_coordinator

# (key, label, model, changelist parameters, the queryset those parameters select).
# Parameters and querysets are the changelist filters' own: the count is the list's length.
TILES = [
    (
        "reports",
        _("signalement(s) nouveau(x)"),
        ChangeRequest,
        {"state__exact": ChangeRequest.State.NEW},
        lambda qs: qs.filter(state=ChangeRequest.State.NEW),
    ),
    (
        "stale_meetings",
        _("réunion(s) non vérifiée(s) depuis plus de 6 mois"),
        Meeting,
        {"fraicheur": "perimee"},
        lambda qs: qs.stale(),
    ),
    (
        "stale_groups",
        _("groupe(s) non vérifié(s) depuis plus de 6 mois"),
        Group,
        {"fraicheur": "perimee"},
        lambda qs: qs.stale(),
    ),
    (
        "unpublished_meetings",
        _("réunion(s) non publiée(s)"),
        Meeting,
        {"published__exact": "0"},
        lambda qs: qs.filter(published=False),
    ),
    (
        "unpublished_groups",
        _("groupe(s) non publié(s)"),
        Group,
        {"published__exact": "0"},
        lambda qs: qs.filter(published=False),
    ),
    (
        "suspended_meetings",
        _("réunion(s) suspendue(s)"),
        Meeting,
        {"status__exact": Meeting.Status.SUSPENDED},
        lambda qs: qs.filter(status=Meeting.Status.SUSPENDED),
    ),
]


def _changelist(model, params=None):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def tiles(request):
    """What needs attention in the user's movements: [{key, label, count, url}], one query per tile."""
    found = []
    for key, label, model, params, select in TILES:
        count = select(model.objects.for_user(request.user)).count()
        found.append({"key": key, "label": label, "count": count, "url": _changelist(model, params)})
    return found


def new_report_count(request):
    return ChangeRequest.objects.for_user(request.user).filter(state=ChangeRequest.State.NEW).count()


def home_context(request):
    movements = Movement.objects.for_user(request.user).only("pk", "name", "slug", "published")
    administrator = is_regional_admin(request.user)
    return {
        "workspace_tiles": tiles(request),
        "workspace_movements": movements if not administrator else [],
        "workspace_is_administrator": administrator,
        "workspace_can_add": administrator or is_coordinator(request.user),
        "workspace_add_meeting_url": reverse("admin:directory_meeting_add"),
        "workspace_add_group_url": reverse("admin:directory_group_add"),
        "workspace_lists": [
            (_("Réunions"), _changelist(Meeting)),
            (_("Groupes"), _changelist(Group)),
            (_("Lieux"), reverse("admin:directory_venue_changelist")),
            (_("Signalements d'erreur"), _changelist(ChangeRequest)),
        ],
        "title": _("Tableau de bord") if administrator else _("Espace coordinateurs"),
    }


def label_menu(request, context):
    """The header and menu of every admin page: the workspace's name for a coordinator, and the
    count of new reports next to their list."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return context
    if not is_regional_admin(user):
        context["site_header"] = _("Entraide Grand Est – Espace coordinateurs")
    count = new_report_count(request)
    if count:
        for app in context.get("available_apps", []):
            for model in app["models"]:
                if model["object_name"] == ChangeRequest.__name__:
                    model["name"] = f"{model['name']} ({count})"
    return context
