"""Lists in the order of the next occurrence from now (Europe/Paris), and the `quand` windows, under frozen time."""

import io
import re
from datetime import UTC, date, datetime, time

import pytest
from django.core.management import call_command

from directory.models import Meeting
from tests.directory.export_helpers import csv_rows
from tests.factories import NANCY, make_group, make_meeting

pytestmark = pytest.mark.django_db

WEDNESDAY_22H = "2026-12-02 22:00 +01:00"
SUNDAY_LATE = "2026-12-06 23:30 +01:00"
UID = re.compile(r"UID:meeting-(\d+)@")
LISTED = re.compile(r'<p class="meeting-what"><a href="/reunions/(\d+)/"')


def listed(client, query=""):
    response = client.get("/reunions/?" + query)
    assert response.status_code == 200, response.content.decode()[:300]
    return [int(pk) for pk in LISTED.findall(response.content.decode())]


def weekly(weekday, start, end, **fields):
    return make_meeting(
        group=fields.pop("group", None) or make_group(insee=NANCY),
        weekday=weekday,
        start_time=start,
        end_time=end,
        **fields,
    )


@pytest.fixture
def week():
    return {
        "wed_over": weekly(Meeting.Weekday.WEDNESDAY, time(20), time(21, 30)),
        "wed_running": weekly(Meeting.Weekday.WEDNESDAY, time(21), time(23)),
        "thu_morning": weekly(Meeting.Weekday.THURSDAY, time(10), time(12)),
        "sat": weekly(Meeting.Weekday.SATURDAY, time(14), time(16)),
        "sun": weekly(Meeting.Weekday.SUNDAY, time(18), time(20)),
        "mon": weekly(Meeting.Weekday.MONDAY, time(9), time(11)),
    }


def pks(week, *names):
    return [week[name].pk for name in names]


def test_at_22h_on_a_wednesday_the_running_meeting_comes_first_and_the_finished_one_last(client, week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    assert listed(client) == pks(week, "wed_running", "thu_morning", "sat", "sun", "mon", "wed_over")
    html = client.get("/reunions/").content.decode()
    assert html.count('badge-today">en cours<') == 1
    assert 'badge-today">demain<' in html
    assert "mercredi 9 décembre" in html  # the finished one: next week


def test_a_meeting_that_is_over_is_never_under_ce_soir(client, week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    assert listed(client, "quand=ce-soir") == pks(week, "wed_running")
    assert listed(client, "quand=en-cours") == pks(week, "wed_running")
    time_machine.move_to("2026-12-02 23:00 +01:00", tick=False)  # it has just ended
    assert listed(client, "quand=ce-soir") == []


def test_late_on_a_sunday_monday_is_tomorrow_and_the_weekend_is_over(client, week, time_machine):
    time_machine.move_to(SUNDAY_LATE, tick=False)
    assert listed(client)[:2] == pks(week, "mon", "wed_over")
    assert listed(client, "quand=demain") == pks(week, "mon")
    assert listed(client, "quand=week-end") == []
    assert listed(client, "quand=ce-soir") == []


@pytest.mark.parametrize(
    "when, expected",
    [
        ("en-cours", ["wed_running"]),
        ("ce-soir", ["wed_running"]),
        ("demain", ["thu_morning"]),
        ("week-end", ["sat", "sun"]),
        ("7-jours", ["wed_running", "thu_morning", "sat", "sun", "mon", "wed_over"]),
    ],
)
def test_quand_windows_on_a_wednesday_night(client, week, time_machine, when, expected):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    assert listed(client, f"quand={when}") == pks(week, *expected)


def test_on_a_saturday_afternoon_the_weekend_holds_the_running_and_sunday_meetings(client, week, time_machine):
    time_machine.move_to("2026-12-05 15:00 +01:00", tick=False)
    assert listed(client, "quand=week-end") == pks(week, "sat", "sun")
    time_machine.move_to("2026-12-05 16:30 +01:00", tick=False)
    assert listed(client, "quand=week-end") == pks(week, "sun")


def test_across_the_spring_dst_change_meetings_keep_their_wall_clock_time(client, time_machine):
    time_machine.move_to("2026-03-28 21:00 +01:00", tick=False)  # Saturday; clocks go forward at 2:00 on Sunday
    sunday_morning = weekly(Meeting.Weekday.SUNDAY, time(10), time(12))
    sunday_dawn = weekly(Meeting.Weekday.SUNDAY, time(2, 30), time(4))  # 2:30 does not exist that night
    saturday_late = weekly(Meeting.Weekday.SATURDAY, time(22), time(23))
    assert listed(client) == [saturday_late.pk, sunday_dawn.pk, sunday_morning.pk]
    sunday_morning.refresh_from_db()
    assert sunday_morning.next_start == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # 10:00 CEST
    html = client.get("/reunions/").content.decode()
    assert '<time datetime="2026-03-29T10:00:00+02:00">' in html
    assert listed(client, "quand=demain") == [sunday_dawn.pk, sunday_morning.pk]


def test_across_the_autumn_dst_change_the_order_is_by_the_instant(client, time_machine):
    time_machine.move_to("2026-10-24 23:00 +02:00", tick=False)  # Saturday; clocks go back at 3:00 on Sunday
    late = weekly(Meeting.Weekday.SUNDAY, time(9), time(10))
    early = weekly(Meeting.Weekday.SUNDAY, time(1), time(2))
    assert listed(client) == [early.pk, late.pk]
    late.refresh_from_db()
    assert late.next_start == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)  # 9:00 CET


def test_monthly_and_suspended_meetings_come_at_their_real_next_date(client, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    weekly_thursday = weekly(Meeting.Weekday.THURSDAY, time(20), time(22))
    last_friday = weekly(Meeting.Weekday.FRIDAY, time(20), time(22), frequency="monthly", positions="-1")
    suspended = weekly(
        Meeting.Weekday.FRIDAY, time(18), time(19), status="suspended", suspended_until=date(2026, 12, 10)
    )
    # Thursday 3rd; Friday 11th (after the suspension); last Friday: 25 December.
    assert listed(client) == [weekly_thursday.pk, suspended.pk, last_friday.pk]


def test_exports_follow_the_same_order(client, week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    order = pks(week, "wed_running", "thu_morning", "sat", "sun", "mon", "wed_over")
    assert [int(row["id"]) for row in csv_rows(client.get("/reunions/export.csv"))] == order
    ics = b"".join(client.get("/reunions/agenda.ics").streaming_content).decode()
    assert [int(pk) for pk in re.findall(UID, ics)] == order


def test_a_changed_schedule_is_refreshed_by_the_command(week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    Meeting.objects.refresh_next_occurrences()
    Meeting.objects.filter(pk=week["mon"].pk).update(weekday=Meeting.Weekday.FRIDAY)
    out = io.StringIO()
    call_command("refresh_next_occurrences", stdout=out)
    assert out.getvalue().startswith("1 réunion(s)")
    week["mon"].refresh_from_db()
    assert week["mon"].next_start == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


def test_a_closed_meeting_has_no_next_occurrence(week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    Meeting.objects.refresh_next_occurrences()
    Meeting.objects.filter(pk=week["sat"].pk).update(status=Meeting.Status.CLOSED)
    Meeting.objects.refresh_next_occurrences()
    week["sat"].refresh_from_db()
    assert week["sat"].next_start is None and week["sat"].next_end is None


def test_the_request_time_refresh_writes_only_rows_whose_occurrence_ended(week, time_machine):
    time_machine.move_to(WEDNESDAY_22H, tick=False)
    assert Meeting.objects.refresh_next_occurrences(stale_only=True) == 6  # never computed
    assert Meeting.objects.refresh_next_occurrences(stale_only=True) == 0
    time_machine.move_to("2026-12-02 23:30 +01:00", tick=False)
    assert Meeting.objects.refresh_next_occurrences(stale_only=True) == 1  # wed_running has ended


@pytest.mark.parametrize("value", ["hier", "ce soir", "7", "<script>", "x" * 500])
def test_a_bad_quand_is_a_form_error_naming_the_field(client, value):
    response = client.get("/reunions/", {"quand": value})
    assert response.status_code == 400
    assert '<a href="#id_quand">Quand</a>' in response.content.decode()
