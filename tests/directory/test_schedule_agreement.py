"""Every encoding of a schedule gives the same meetings, at the same local time.

For random schedules over two years (both DST changes, twice), the dates the
pages show, the iCalendar event expanded by a calendar library, the HSDS
schedule expanded by dateutil, the Meeting Guide entry and the JSON-LD start
date all match a day-by-day reading of the schedule's definition.
"""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from dateutil.rrule import rrulestr
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from directory.exports import stable_uuid
from directory.models import Meeting
from tests.directory.export_helpers import body, json_body
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
WINDOW_DAYS = 730
HORIZON = date(2032, 12, 31)
ALL_POSITIONS = [1, 2, 3, 4, 5, -1]


# The definition, read day by day: what every encoding must agree with.
def takes_place(schedule, day):
    if schedule["status"] == Meeting.Status.CLOSED or day < schedule["starts_on"]:
        return False
    if schedule["status"] == Meeting.Status.SUSPENDED and day < schedule["suspended_until"]:
        return False
    if day.weekday() != schedule["weekday"]:
        return False
    if schedule["frequency"] == Meeting.Frequency.MONTHLY:
        nth = (day.day - 1) // 7 + 1
        last = (day + timedelta(weeks=1)).month != day.month
        positions = schedule["positions"]
        return nth in positions or (last and -1 in positions)
    anchor = schedule["starts_on"]
    first = anchor + timedelta(days=(schedule["weekday"] - anchor.weekday()) % 7)
    return (day - first).days // 7 % schedule["interval"] == 0


def expected_days(schedule, start, end):
    every_day = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in every_day if takes_place(schedule, day)]


def first_day(schedule):
    day = schedule["starts_on"]
    while not takes_place(schedule, day):
        day += timedelta(days=1)
    return day


def local(day, at):
    """A local Europe/Paris wall-clock time, as every encoding means it (fold 0 in the DST gap and overlap)."""
    return datetime.combine(day, at, tzinfo=PARIS)


def instants(starts):
    """In UTC: aware datetimes sharing a time zone would otherwise be compared by their wall-clock time."""
    return [start.astimezone(UTC) for start in starts]


@st.composite
def schedules(draw):
    frequency = draw(st.sampled_from(Meeting.Frequency.values))
    monthly = frequency == Meeting.Frequency.MONTHLY
    start = draw(st.integers(0, 95))  # quarter hours, night included: the DST change happens at 2 or 3 a.m.
    start_time = time(start // 4, start % 4 * 15)
    end_minutes = min(start * 15 + draw(st.integers(15, 180)), 23 * 60 + 59)
    status = draw(st.sampled_from(Meeting.Status.values))
    return {
        "frequency": frequency,
        "interval": 1 if monthly else draw(st.integers(1, 8)),
        "weekday": draw(st.integers(0, 6)),
        "positions": sorted(draw(st.sets(st.sampled_from(ALL_POSITIONS), min_size=1))) if monthly else [],
        "starts_on": draw(st.dates(date(2019, 1, 1), date(2028, 3, 1))),
        "start_time": start_time,
        "end_time": time(end_minutes // 60, end_minutes % 60),
        "status": status,
        "suspended_until": draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
        if status == Meeting.Status.SUSPENDED
        else None,
    }


NOW = st.datetimes(datetime(2025, 6, 1), datetime(2026, 6, 1)).map(lambda moment: moment.replace(tzinfo=PARIS))
DST_GAP = {  # a Sunday meeting at 2:30, an hour that does not exist on the last Sunday of March
    "frequency": "weekly",
    "interval": 1,
    "weekday": 6,
    "positions": [],
    "starts_on": date(2026, 3, 1),
    "start_time": time(2, 30),
    "end_time": time(3, 30),
    "status": "active",
    "suspended_until": None,
}
DST_OVERLAP = {  # ... and twice on the last Sunday of October
    **DST_GAP,
    "frequency": "monthly",
    "positions": [-1],
    "status": "suspended",
    "suspended_until": date(2026, 9, 1),
}


def ics_starts(client, meeting, start, end):
    response = client.get(f"/reunions/{meeting.pk}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(body(response))
    window = recurring_ical_events.of(calendar).between(local(start, time(0)), local(end + timedelta(days=1), time(0)))
    return sorted(occurrence["DTSTART"].dt for occurrence in window)


def hsds_starts(client, meeting, start, end):
    response = client.get(f"/donnees/hsds/services/{stable_uuid('meeting', meeting.pk)}")
    assert response.status_code == 200
    (schedule,) = json_body(response)["schedules"]
    assert schedule["closes_at"] == f"{meeting.end_time:%H:%M}"
    rule = f"FREQ={schedule['freq']};INTERVAL={schedule['interval']};BYDAY={schedule['byday']};WKST={schedule['wkst']}"
    opens_at = time.fromisoformat(schedule["opens_at"])
    expansion = rrulestr(rule, dtstart=datetime.combine(date.fromisoformat(schedule["dtstart"]), opens_at))
    valid_from = date.fromisoformat(schedule.get("valid_from", "0001-01-01"))
    window = datetime.combine(max(start, valid_from), time(0)), datetime.combine(end, time.max)
    days = expansion.between(*window, inc=True)
    return [local(moment.date(), moment.time()) for moment in days]


def meeting_guide_entry(client, meeting):
    items = {item["slug"]: item for item in json_body(client.get("/donnees/meeting-guide.json"))}
    return items.get(f"reunion-{meeting.pk}")


def json_ld_schedule(html):
    for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(script)
        if data.get("@type") == "Event":
            return data["eventSchedule"]
    return None


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never fails by chance
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(schedule=schedules(), now=NOW)
@example(schedule=DST_GAP, now=datetime(2026, 3, 1, 9, 0, tzinfo=PARIS))
@example(schedule=DST_OVERLAP, now=datetime(2026, 3, 1, 9, 0, tzinfo=PARIS))
def test_pages_ics_hsds_meeting_guide_and_json_ld_agree_on_every_date_and_hour(client, schedule, now):
    with transaction.atomic(), time_machine.travel(now, tick=False):
        check_agreement(client, schedule, now)
        transaction.set_rollback(True)  # each example on the database as the test found it


def check_agreement(client, schedule, now):
    meeting = make_meeting(**{**schedule, "positions": ",".join(map(str, schedule["positions"]))})
    today, end = now.date(), now.date() + timedelta(days=WINDOW_DAYS)
    # Beyond the window too: the page lists the next five dates however far they are.
    every_start = [local(day, meeting.start_time) for day in expected_days(schedule, today, HORIZON)]
    starts = [start for start in every_start if start.date() <= end]
    days = [start.date() for start in starts]
    page = client.get(meeting.get_absolute_url())
    # An hour that does not exist on the night summer time begins is an hour later.
    gap = {time(meeting.start_time.hour + 1, meeting.start_time.minute)} if meeting.start_time.hour == 2 else set()

    if schedule["status"] == Meeting.Status.CLOSED:
        assert meeting.occurrences(today, end) == [] and meeting.next_dates() == []
        assert page.status_code == 410
        assert client.get(f"/reunions/{meeting.pk}.ics").status_code == 404
        assert client.get(f"/donnees/hsds/services/{stable_uuid('meeting', meeting.pk)}").status_code == 404
        assert meeting_guide_entry(client, meeting) is None
        return

    assert meeting.occurrences(today, end) == days
    upcoming = [start for start in every_start if start >= now]
    assert instants(meeting.next_dates(count=20, after=now)) == instants(upcoming[:20])
    assert page.status_code == 200
    assert instants(page.context["next_dates"]) == instants(upcoming[:5])
    assert {start.astimezone(PARIS).time() for start in page.context["next_dates"]} <= {meeting.start_time, *gap}

    ics = ics_starts(client, meeting, today, end)
    assert instants(ics) == instants(starts)
    assert {start.astimezone(PARIS).time() for start in ics} <= {meeting.start_time, *gap}
    assert instants(hsds_starts(client, meeting, today, end)) == instants(starts)

    entry = meeting_guide_entry(client, meeting)
    running_weekly = meeting.frequency == "weekly" and meeting.interval == 1 and meeting.starts_on <= today
    if running_weekly:
        assert {day.isoweekday() % 7 for day in days} == {entry["day"]}
        assert {start.strftime("%H:%M") for start in starts} == {entry["time"]}
    else:
        assert "day" not in entry and "time" not in entry
        assert f"{meeting.schedule_display}, {meeting.time_range_text}" in entry["notes"]
    if meeting.is_suspended:
        assert "TC" in entry["types"] and f"reprise le {meeting.suspended_until:%d/%m/%Y}" in entry["notes"]

    assert json_ld_schedule(page.content.decode())["startDate"] == first_day(schedule).isoformat()
