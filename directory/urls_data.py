"""Open data URLs: the finder's exports and /donnees/… feeds (included from entraide/urls.py).

Their paths and their content are a contract: outside i18n_patterns, the same in every
language (the page that documents them, /donnees/, is directory:open_data)."""

from django.urls import include, path

from . import views_data

app_name = "data"

urlpatterns = [
    path("reunions/<int:pk>.ics", views_data.meeting_ics, name="meeting_ics"),
    path("reunions/agenda.ics", views_data.agenda_ics, name="agenda_ics"),
    path("reunions/export.csv", views_data.export_csv, name="export_csv"),
]
feed_patterns = [
    path("meeting-guide.json", views_data.meeting_guide_feed, name="meeting_guide"),
    path("data-inclusion/structures.json", views_data.data_inclusion_structures, name="di_structures"),
    path("hsds.zip", views_data.hsds_zip, name="hsds_zip"),
    path("data-inclusion/services.json", views_data.data_inclusion_services, name="di_services"),
]

# HSDA paths: /hsds/services, /hsds/services/{id}, …
HSDS_RESOURCES = ["organizations", "services", "locations", "service_at_locations"]
for resource in HSDS_RESOURCES:
    feed_patterns += [
        path(f"hsds/{resource}", views_data.hsds_list, {"resource": resource}, name=f"hsds_{resource}"),
        path(f"hsds/{resource}/<str:id>", views_data.hsds_detail, {"resource": resource}),
    ]

urlpatterns += [path("donnees/", include(feed_patterns))]
