from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine

from directory.models import Meeting
from tests.directory.export_helpers import body
from tests.factories import METZ, make_group, make_meeting

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2025, 12, 15, 10, 0, tzinfo=PARIS), tick=False):
        yield


def schedules():
    """One meeting of each recurrence shape, all at 20:00."""
    return [
        make_meeting(),  # every Tuesday
        make_meeting(weekday=Meeting.Weekday.WEDNESDAY, interval=2, starts_on=date(2026, 1, 14)),
        make_meeting(weekday=Meeting.Weekday.THURSDAY, frequency="monthly", positions="1,3"),
        make_meeting(weekday=Meeting.Weekday.SATURDAY, frequency="monthly", positions="-1"),
        make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2026, 9, 1)),
        make_meeting(modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/abc"),
    ]


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(body(response))


def occurrences_by_uid(calendar):
    found = {}
    start = datetime.combine(YEAR_START, time(0), tzinfo=PARIS)
    end = datetime.combine(YEAR_END + timedelta(days=1), time(0), tzinfo=PARIS)
    for occurrence in recurring_ical_events.of(calendar).between(start, end):
        found.setdefault(str(occurrence["UID"]), []).append(occurrence["DTSTART"].dt)
    return found


def test_agenda_expands_to_each_meetings_dates_over_a_year_at_20h_paris_time_across_dst(client):
    meetings = schedules()
    calendar = parse(client.get("/reunions/agenda.ics"))
    expanded = occurrences_by_uid(calendar)
    assert len(expanded) == len(meetings)
    for meeting in meetings:
        starts = expanded[f"meeting-{meeting.pk}@localhost"]
        assert [start.date() for start in starts] == meeting.occurrences(YEAR_START, YEAR_END)
        for start in starts:
            local = start.astimezone(PARIS)
            assert (local.hour, local.minute) == (20, 0)
        offsets = {start.astimezone(PARIS).utcoffset() for start in starts}
        assert offsets == {timedelta(hours=1), timedelta(hours=2)}, "the year crosses both DST changes"


def test_dst_weeks_keep_the_local_time_in_march_and_october(client):
    meeting = make_meeting(weekday=Meeting.Weekday.MONDAY, starts_on=date(2026, 3, 23))
    calendar = parse(client.get(f"/reunions/{meeting.pk}.ics"))
    starts = [
        o["DTSTART"].dt
        for o in recurring_ical_events.of(calendar).between(datetime(2026, 3, 20), datetime(2026, 11, 5))
    ]
    by_day = {start.date(): start for start in starts}
    # Summer time starts on 29 March and ends on 25 October 2026.
    assert by_day[date(2026, 3, 23)].utcoffset() == timedelta(hours=1)
    assert by_day[date(2026, 3, 30)].utcoffset() == timedelta(hours=2)
    assert by_day[date(2026, 10, 19)].utcoffset() == timedelta(hours=2)
    assert by_day[date(2026, 10, 26)].utcoffset() == timedelta(hours=1)
    assert {(s.hour, s.minute) for s in starts} == {(20, 0)}


def test_event_has_rrule_timezone_location_geo_url_and_stable_uid(client):
    meeting = make_meeting(weekday=Meeting.Weekday.THURSDAY, frequency="monthly", positions="1,3")
    first = body(client.get(f"/reunions/{meeting.pk}.ics"))
    calendar = icalendar.Calendar.from_ical(first)
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Paris"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{meeting.pk}@localhost"
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TH,3TH"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt == datetime(2026, 1, 15, 20, 0, tzinfo=PARIS)  # first 1st/3rd Thursday from 6 Jan
    assert event["DTEND"].dt == datetime(2026, 1, 15, 22, 0, tzinfo=PARIS)
    assert meeting.venue.name in str(event["LOCATION"])
    assert event["GEO"].latitude == pytest.approx(meeting.venue.commune.latitude)
    assert str(event["URL"]) == f"http://localhost:8000/reunions/{meeting.pk}/"
    assert body(client.get(f"/reunions/{meeting.pk}.ics")) == first, "same data, same bytes"


def test_suspended_meeting_starts_again_on_its_return_date(client):
    meeting = make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2026, 8, 30))
    (event,) = parse(client.get(f"/reunions/{meeting.pk}.ics")).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 9, 1, 20, 0, tzinfo=PARIS)
    assert "reprise le 30/08/2026" in str(event["DESCRIPTION"])


def test_fortnightly_series_keeps_its_phase_after_a_suspension(client):
    meeting = make_meeting(
        weekday=Meeting.Weekday.WEDNESDAY,
        interval=2,
        starts_on=date(2026, 1, 7),
        status=Meeting.Status.SUSPENDED,
        suspended_until=date(2026, 6, 1),
    )
    calendar = parse(client.get(f"/reunions/{meeting.pk}.ics"))
    starts = [o["DTSTART"].dt.date() for o in recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END)]
    assert starts == meeting.occurrences(YEAR_START, YEAR_END)
    assert starts[0] == date(2026, 6, 10)  # 7 January + 22 weeks


def test_agenda_follows_the_finder_query(client):
    tuesday = make_meeting(group=make_group(insee=METZ))
    friday = make_meeting(group=make_group(insee=METZ), weekday=Meeting.Weekday.FRIDAY)
    make_meeting(weekday=Meeting.Weekday.FRIDAY)  # Nancy
    calendar = parse(client.get("/reunions/agenda.ics?departement=57&jour=vendredi"))
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {f"meeting-{friday.pk}@localhost"}
    assert f"meeting-{tuesday.pk}@localhost" not in uids


def test_drafts_closed_and_demo_meetings_are_not_exported(client):
    shown = make_meeting()
    draft = make_meeting(published=False)
    closed = make_meeting(status=Meeting.Status.CLOSED)
    demo = make_meeting(is_demo=True)
    hidden_group = make_meeting(group=make_group(published=False))
    uids = {str(e["UID"]) for e in parse(client.get("/reunions/agenda.ics")).walk("VEVENT")}
    assert uids == {f"meeting-{shown.pk}@localhost"}
    for meeting in (draft, closed, demo, hidden_group):
        assert client.get(f"/reunions/{meeting.pk}.ics").status_code == 404
    assert client.get("/reunions/999999.ics").status_code == 404


def test_the_time_zone_changes_offset_on_the_last_sundays_of_march_and_october(client):
    make_meeting()
    (timezone,) = parse(client.get("/reunions/agenda.ics")).walk("VTIMEZONE")
    observances = {
        str(part["TZNAME"]): (
            part["TZOFFSETFROM"].td,
            part["TZOFFSETTO"].td,
            part["DTSTART"].dt,
            part["RRULE"].to_ical().decode(),
        )
        for part in timezone.subcomponents
    }
    hour = timedelta(hours=1)
    assert observances == {
        "CEST": (hour, 2 * hour, datetime(1970, 3, 29, 2), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
        "CET": (2 * hour, hour, datetime(1970, 10, 25, 3), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
    }
