from django.urls import path, re_path

from . import urls_data, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("mouvements/", views.movement_list, name="movement_list"),
    path("mouvements/<slug:slug>/", views.movement_detail, name="movement_detail"),
    path("mouvements/<slug:slug>/signaler/", views.report_movement, name="report_movement"),
    path("groupes/<int:pk>/", views.group_detail, name="group_detail"),
    path("groupes/<int:pk>/signaler/", views.report_group, name="report_group"),
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("orientation/", views.orientation, name="orientation"),
    *urls_data.finder_patterns,
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/signaler/", views.report_meeting, name="report_meeting"),
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
]
