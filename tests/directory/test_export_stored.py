"""Feeds, agendas and CSV read each meeting's stored text: the same bytes, never a stale one."""

import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import csv_format
from directory.exports import data_inclusion, ics, json_array, meeting_guide
from directory.models import Department, Meeting, MeetingExport
from tests.directory.export_helpers import body, csv_rows, json_body
from tests.factories import METZ, get_movement, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MEETING_GUIDE = "/donnees/meeting-guide.json"
AGENDA = "/reunions/agenda.ics"
CSV = "/reunions/export.csv"
DATA_INCLUSION = "/donnees/data-inclusion/services.json"
LISTINGS = [
    MEETING_GUIDE,
    AGENDA,
    CSV,
    "/reunions/agenda.ics?commune=nancy&rayon=30",
    "/reunions/export.csv?commune=nancy&rayon=30",
    "/reunions/export.csv?departement=57",
    DATA_INCLUSION,
]
AUGUST = "Pas de réunion du 01/08/2027 au 31/08/2027"


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=PARIS), tick=False) as traveller:
        yield traveller


def later(clock):
    # Every edit gets its own updated_at, as it does in real time.
    clock.shift(timedelta(minutes=1))


@pytest.fixture
def varied(clock):
    """Meetings of every shape an export words differently."""
    group = make_group(name="Groupe « varié »", email="groupe@example.org")
    metz = make_group("croix-bleue", insee=METZ)
    al_anon = make_group("al-anon-alateen")
    hall = make_venue(name="Salle; des fêtes", access_notes="Entrée par la cour", wheelchair_accessible=True)
    online = {"modality": Meeting.Modality.ONLINE, "video_url": "https://visio.example.org/a"}
    return [
        make_meeting(group=group, venue=hall, name='=1+1 "piège"', notes="Deux lignes\nde notes", languages="fr de"),
        make_meeting(group=group, interval=2, weekday=Meeting.Weekday.WEDNESDAY),
        make_meeting(group=metz, frequency="monthly", positions="1,-1", weekday=Meeting.Weekday.THURSDAY),
        make_meeting(group=group, phone="03 83 00 00 00", **online),
        make_meeting(group=al_anon, modality=Meeting.Modality.HYBRID, video_url="https://visio.example.org/h"),
        make_meeting(group=metz, status=Meeting.Status.SUSPENDED, suspended_until=date(2027, 1, 12)),
        make_meeting(
            group=group,
            weekday=Meeting.Weekday.FRIDAY,
            status=Meeting.Status.SUSPENDED,
            suspended_from=date(2027, 8, 1),
            suspended_until=date(2027, 9, 1),
        ),
        make_meeting(group=al_anon, status=Meeting.Status.CLOSED, closed_on=date(2026, 11, 1)),
        make_meeting(group=metz, starts_on=date(2027, 1, 7), weekday=Meeting.Weekday.THURSDAY),
        make_meeting(group=group, type=Meeting.Type.PHONE, phone="3989", modality=Meeting.Modality.ONLINE),
    ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return body(response)


def exports(client):
    return {url: get(client, url) for url in LISTINGS}


def _in_order(pks):
    meetings = Meeting.objects.exportable().in_bulk(pks)
    return [meetings[pk] for pk in pks]


def serialised_afresh(client):
    """The three whole exports written by the per-object functions, as before stored texts existed."""
    feed = meeting_guide.feed_meetings(Meeting.objects.exportable())
    departments = list(Department.objects.values_list("code", flat=True))
    calendar_pks = [int(pk) for pk in re.findall(r"UID:meeting-(\d+)@", get(client, AGENDA).decode())]
    csv_pks = [int(line.split(";")[0]) for line in get(client, CSV).decode().splitlines()[1:]]
    return {
        MEETING_GUIDE: "".join(json_array(meeting_guide.item(m) for m in feed)).encode(),
        AGENDA: "".join(ics.stream(_in_order(calendar_pks), "Entraide Grand Est – réunions")).encode(),
        CSV: "".join(csv_format.stream(_in_order(csv_pks), csv_format.PUBLIC_COLUMNS)).encode(),
        DATA_INCLUSION: "".join(
            json_array(data_inclusion.service(m, departments) for m in Meeting.objects.exportable().order_by("pk"))
        ).encode(),
    }


def test_stored_texts_give_the_same_bytes_as_a_fresh_serialisation(client, varied):
    live = exports(client)
    call_command("refresh_exports")
    assert MeetingExport.objects.count() == Meeting.objects.exportable().count() == 9
    stored = exports(client)
    assert stored == live
    afresh = serialised_afresh(client)
    for url, text in afresh.items():
        assert stored[url] == text, url
    # Every shape is there: the checks above compared something.
    assert AUGUST.encode() in stored[CSV] and b"Suspendue, reprise le 12/01/2027" in stored[CSV]
    assert len(json.loads(stored[MEETING_GUIDE])) == 8


def test_an_export_reads_stored_texts_in_one_query_and_rebuilds_stale_ones_a_chunk_at_a_time(client, clock):
    for index in range(30):
        make_meeting(weekday=index % 7)
    call_command("refresh_exports")
    with CaptureQueriesContext(connection) as fresh:
        get(client, MEETING_GUIDE)
    later(clock)
    for meeting in Meeting.objects.all()[:20]:
        meeting.save()
    with CaptureQueriesContext(connection) as stale:
        get(client, MEETING_GUIDE)
    # One more query for the chunk (CHUNK_SIZE = 500 meetings) that holds the 20 changed ones.
    assert len(stale) == len(fresh) + 1


def _move_meeting(meeting):
    meeting.start_time = time(18, 45)
    meeting.save()


def _rename_group(meeting):
    meeting.group.name = "Nouveau nom du groupe"
    meeting.group.save()


def _move_venue(meeting):
    meeting.venue.address = "9 rue Nouvelle"
    meeting.venue.save()


def _rename_movement(meeting):
    movement = get_movement("vie-libre")
    movement.name = "Nouveau nom du mouvement"
    movement.save()


@pytest.mark.parametrize(
    "edit, shown",
    [
        (_move_meeting, "18:45"),
        (_rename_group, "Nouveau nom du groupe"),
        (_move_venue, "9 rue Nouvelle"),
        (_rename_movement, "Nouveau nom du mouvement"),
    ],
    ids=["meeting", "group", "venue", "movement"],
)
@pytest.mark.parametrize("url", [MEETING_GUIDE, AGENDA, CSV, DATA_INCLUSION])
def test_an_edit_is_in_the_export_at_once_without_waiting_for_the_refresh(client, clock, url, edit, shown):
    meeting = make_meeting(notes="Salle au 1er étage")
    make_meeting(weekday=Meeting.Weekday.FRIDAY)
    call_command("refresh_exports")
    before = get(client, url).decode()
    later(clock)
    edit(Meeting.objects.get(pk=meeting.pk))
    after = get(client, url).decode()
    assert shown in after and shown not in before
    MeetingExport.objects.all().delete()
    assert get(client, url).decode() == after
    call_command("refresh_exports")
    assert get(client, url).decode() == after


def test_the_refresh_writes_stale_rows_only_and_forgets_meetings_that_left_the_exports(clock):
    kept, unpublished = make_meeting(), make_meeting(weekday=Meeting.Weekday.MONDAY)
    call_command("refresh_exports")
    assert MeetingExport.objects.count() == 2
    assert _refreshed() == 0
    later(clock)
    kept.save()
    unpublished.published = False
    unpublished.save()
    assert _refreshed() == 1
    assert list(MeetingExport.objects.values_list("meeting", flat=True)) == [kept.pk]


def _refreshed():
    from io import StringIO

    out = StringIO()
    call_command("refresh_exports", stdout=out)
    return int(out.getvalue().split()[0])


def test_a_stored_text_is_not_used_once_the_day_changes_how_it_reads(client, clock):
    """A suspension that begins, a new meeting that starts: the texts of the day before are not served."""
    make_meeting(status=Meeting.Status.SUSPENDED, suspended_from=date(2026, 12, 7), suspended_until=date(2027, 1, 4))
    make_meeting(starts_on=date(2026, 12, 8), weekday=Meeting.Weekday.TUESDAY)
    call_command("refresh_exports")
    today = json_body(client.get(MEETING_GUIDE))
    assert [("TC" in item["types"], "day" in item) for item in today] == [(False, True), (False, False)]
    clock.move_to(datetime(2026, 12, 8, 9, 0, tzinfo=PARIS))
    week_after = json_body(client.get(MEETING_GUIDE))
    assert [("TC" in item["types"], "day" in item) for item in week_after] == [(True, True), (False, True)]
    assert "Suspendue, reprise le 04/01/2027." in week_after[0]["notes"]


# A suspension to come (issue 15, item 4): the meeting stays listed, its dates are left out.


@pytest.fixture
def august(clock):
    return make_meeting(
        name="Réunion d'été",
        status=Meeting.Status.SUSPENDED,
        suspended_from=date(2027, 8, 1),
        suspended_until=date(2027, 9, 1),
    )


def _tuesdays(calendar_text, start, end):
    calendar = icalendar.Calendar.from_ical(calendar_text)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(event["DTSTART"].dt for event in events)


@pytest.mark.parametrize("stored", [False, True], ids=["live", "stored"])
@pytest.mark.parametrize("url", [AGENDA, "/reunions/{pk}.ics"])
def test_calendars_leave_out_the_dates_of_a_suspension_to_come(client, august, url, stored):
    if stored:
        call_command("refresh_exports")
    text = get(client, url.format(pk=august.pk))
    starts = _tuesdays(text, date(2027, 7, 20), date(2027, 9, 15))
    summer = [date(2027, 7, 20), date(2027, 7, 27), date(2027, 9, 7), date(2027, 9, 14)]
    assert [start.date() for start in starts] == summer
    assert all(start.time() == time(20, 0) and start.tzinfo is not None for start in starts)
    # Today's dates are unchanged: the meeting is not suspended yet.
    assert [s.date() for s in _tuesdays(text, date(2026, 12, 4), date(2026, 12, 16))] == [
        date(2026, 12, 8),
        date(2026, 12, 15),
    ]
    assert AUGUST in text.decode().replace("\r\n ", "")


def test_calendars_leave_out_the_rest_of_a_suspension_under_way(client, clock):
    meeting = make_meeting(
        status=Meeting.Status.SUSPENDED, suspended_from=date(2026, 11, 20), suspended_until=date(2027, 1, 5)
    )
    text = get(client, f"/reunions/{meeting.pk}.ics")
    starts = [s.date() for s in _tuesdays(text, date(2026, 11, 10), date(2027, 1, 13))]
    assert starts == [date(2026, 11, 10), date(2026, 11, 17), date(2027, 1, 5), date(2027, 1, 12)]


def test_feeds_say_when_a_suspension_to_come_leaves_a_gap(client, august):
    item = json_body(client.get(MEETING_GUIDE))[0]
    assert f"{AUGUST}." in item["notes"]
    assert "TC" not in item["types"] and item["day"] == 2 and item["time"] == "20:00"
    (row,) = csv_rows(client.get(CSV))
    assert row["recurrence"] == f"chaque mardi ({AUGUST})"
    for url in ["/donnees/hsds/services", DATA_INCLUSION]:
        assert AUGUST in get(client, url).decode(), url
