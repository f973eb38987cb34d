from django.urls import path, re_path

from . import urls_data, views, views_print

app_name = "directory"


def with_report(route, view, report_view, name):
    """A public page and its "Signaler une erreur" form, always at <page>signaler/."""
    return [path(route, view, name=f"{name}_detail"), path(f"{route}signaler/", report_view, name=f"report_{name}")]


urlpatterns = [
    path("", views.home, name="home"),
    path("mouvements/", views.movement_list, name="movement_list"),
    *with_report("mouvements/<slug:slug>/", views.movement_detail, views.report_movement, "movement"),
    *with_report("groupes/<int:pk>/", views.group_detail, views.report_group, "group"),
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("reunions/imprimer/", views_print.meeting_print, name="meeting_print"),
    *urls_data.finder_patterns,
    *with_report("reunions/<int:pk>/", views.meeting_detail, views.report_meeting, "meeting"),
    path("territoires/", views.department_list, name="department_list"),
    # Codes are matched explicitly: "54-meurthe-et-moselle" must not split inside the slug.
    re_path(
        r"^territoires/(?P<code>[0-9][0-9AB])-(?P<slug>[-a-z0-9]+)/$",
        views.department_detail,
        name="department_detail",
    ),
    re_path(
        r"^communes/(?P<insee>[0-9][0-9AB][0-9]{3})-(?P<slug>[-a-z0-9]+)/$",
        views.commune_detail,
        name="commune_detail",
    ),
    # Posters for waiting rooms, as a page to print and as a PDF.
    re_path(
        r"^territoires/(?P<code>[0-9][0-9AB])-(?P<slug>[-a-z0-9]+)/affiche/$",
        views_print.department_poster,
        name="department_poster_html",
    ),
    re_path(
        r"^territoires/(?P<code>[0-9][0-9AB])-(?P<slug>[-a-z0-9]+)/affiche\.pdf$",
        views_print.department_poster,
        {"fmt": "pdf"},
        name="department_poster_pdf",
    ),
    re_path(
        r"^communes/(?P<insee>[0-9][0-9AB][0-9]{3})-(?P<slug>[-a-z0-9]+)/affiche/$",
        views_print.commune_poster,
        name="commune_poster_html",
    ),
    re_path(
        r"^communes/(?P<insee>[0-9][0-9AB][0-9]{3})-(?P<slug>[-a-z0-9]+)/affiche\.pdf$",
        views_print.commune_poster,
        {"fmt": "pdf"},
        name="commune_poster_pdf",
    ),
]
