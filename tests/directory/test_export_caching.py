"""Exports answer conditional GETs: unchanged data costs a 304, a change gives a 200."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Meeting
from tests.directory.export_helpers import body
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/reunions/export.csv?departement=54",
    "/reunions/agenda.ics",
    "/donnees/meeting-guide.json",
]


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("url", EXPORTS)
def test_etag_and_last_modified_give_304_until_the_data_changes(client, clock, url):
    meeting = make_meeting()
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "public" in first["Cache-Control"]

    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and body(again) == b""
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304

    clock.shift(timedelta(minutes=5))
    meeting.start_time = "19:30"
    meeting.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 200


def test_unpublishing_a_meeting_changes_the_etag_although_it_leaves_the_export(client, clock):
    meeting = make_meeting()
    etag = client.get("/reunions/agenda.ics")["ETag"]
    clock.shift(timedelta(minutes=1))
    Meeting.objects.filter(pk=meeting.pk).update(published=False, updated_at=datetime.now(tz=ZoneInfo("UTC")))
    assert client.get("/reunions/agenda.ics", headers={"if-none-match": etag}).status_code == 200


def test_deleting_a_meeting_changes_the_etag_and_the_last_modified_date(client, clock):
    make_meeting()
    gone = make_meeting()
    first = client.get("/reunions/export.csv")
    clock.shift(timedelta(minutes=10))
    gone.delete()
    assert client.get("/reunions/export.csv", headers={"if-none-match": first["ETag"]}).status_code == 200
    since = client.get("/reunions/export.csv", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 200 and since["Last-Modified"] != first["Last-Modified"]


def test_each_query_has_its_own_etag(client, clock):
    make_meeting()
    assert client.get("/reunions/export.csv?jour=mardi")["ETag"] != client.get("/reunions/export.csv")["ETag"]


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_stream(client, clock, url):
    make_meeting()
    assert client.get(url).streaming


def test_post_is_not_allowed(client):
    assert client.post("/reunions/export.csv").status_code == 405


LISTINGS = [
    "/reunions/agenda.ics?departement=54",
    "/donnees/meeting-guide.json",
    "/donnees/data-inclusion/services.json",
    "/donnees/data-inclusion/structures.json",
    "/donnees/hsds/services?per_page=500",
    "/donnees/hsds.zip",
]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        body(client.get(url))
    return len(captured)


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_exports_use_a_constant_number_of_queries(client, clock, django_assert_max_num_queries, url):
    make_meeting(modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/0")
    call_command("refresh_exports")
    few = _queries(client, url)
    for index in range(30):
        make_meeting(group=make_group(), weekday=index % 7, interval=1 + index % 2)
    call_command("refresh_exports")
    with django_assert_max_num_queries(few):
        body(client.get(url))


def test_a_new_day_revalidates_because_lists_start_from_today(client, clock):
    make_meeting()
    first = client.get("/reunions/export.csv")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    clock.shift(timedelta(hours=1))
    assert client.get("/reunions/export.csv", headers={"if-none-match": etag}).status_code == 304
    clock.shift(timedelta(days=1))
    assert client.get("/reunions/export.csv", headers={"if-none-match": etag}).status_code == 200
    assert client.get("/reunions/export.csv", headers={"if-modified-since": last_modified}).status_code == 200
