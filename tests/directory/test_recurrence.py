from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from directory import recurrence
from directory.models import Meeting
from tests.factories import make_meeting

PARIS = ZoneInfo("Europe/Paris")
MONDAY, TUESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = 0, 1, 3, 4, 5, 6


def dates(frequency, interval, weekday, positions, anchor, start, end):
    return list(recurrence.dates(recurrence.build(frequency, interval, weekday, positions, anchor), start, end))


def test_a_fifth_weekday_is_skipped_in_months_that_have_only_four():
    # 2026: Thursdays 29 January, 30 April, 30 July, 29 October, 31 December are fifth ones.
    fifth = dates("monthly", 1, THURSDAY, [5], date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31))
    assert fifth == [date(2026, 1, 29), date(2026, 4, 30), date(2026, 7, 30), date(2026, 10, 29), date(2026, 12, 31)]


def test_the_last_weekday_is_the_fourth_or_the_fifth_and_counted_once():
    last = dates("monthly", 1, SATURDAY, [-1], date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31))
    assert last == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 28)]
    fifth_and_last = dates("monthly", 1, SATURDAY, [5, -1], date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31))
    assert fifth_and_last == last, "the 5th Saturday of January is also its last: one meeting"


def test_a_monthly_meeting_has_no_date_before_its_first_date():
    assert dates("monthly", 1, THURSDAY, [1, 3], date(2026, 1, 10), date(2026, 1, 1), date(2026, 2, 28)) == [
        date(2026, 1, 15),
        date(2026, 2, 5),
        date(2026, 2, 19),
    ]


def test_every_three_weeks_counts_from_an_anchor_in_the_past():
    # Anchor Friday 2 January 2026: the first Tuesday on or after it is 6 January, then every 3 weeks.
    found = dates("weekly", 3, TUESDAY, [], date(2026, 1, 2), date(2026, 11, 1), date(2026, 12, 31))
    assert found == [date(2026, 11, 17), date(2026, 12, 8), date(2026, 12, 29)]
    assert all((day - date(2026, 1, 6)).days % 21 == 0 for day in found)


def test_every_three_weeks_starts_on_an_anchor_in_the_future():
    found = dates("weekly", 3, TUESDAY, [], date(2027, 3, 4), date(2026, 11, 1), date(2027, 4, 30))
    assert found == [date(2027, 3, 9), date(2027, 3, 30), date(2027, 4, 20)]


def test_weeks_are_counted_from_the_first_meeting_day_not_the_anchors_calendar_week():
    # Anchor on a Friday, meetings on Tuesdays every other week: the first one is 4 days later,
    # not 11 (which RFC 5545 would give with DTSTART on the anchor and WKST=MO).
    found = dates("weekly", 2, TUESDAY, [], date(2026, 1, 2), date(2026, 1, 1), date(2026, 1, 31))
    assert found == [date(2026, 1, 6), date(2026, 1, 20)]
    assert recurrence.first_date(recurrence.build("weekly", 2, TUESDAY, [], date(2026, 1, 2))) == date(2026, 1, 6)


@pytest.mark.parametrize(
    ("frequency", "interval", "weekday", "positions"),
    [("weekly", 1, MONDAY, []), ("weekly", 5, SUNDAY, []), ("monthly", 1, FRIDAY, [2, 5, -1])],
)
def test_starting_later_gives_the_same_dates(frequency, interval, weekday, positions):
    anchor, start, end = date(1987, 5, 13), date(2026, 2, 17), date(2027, 2, 17)
    whole = recurrence.build(frequency, interval, weekday, positions, anchor)
    later = recurrence.build(frequency, interval, weekday, positions, anchor, since=start)
    assert list(recurrence.dates(later, start, end)) == list(recurrence.dates(whole, start, end))


@pytest.mark.parametrize(
    ("frequency", "interval", "weekday", "positions", "text", "wording"),
    [
        ("weekly", 1, TUESDAY, [], "FREQ=WEEKLY;BYDAY=TU", "chaque mardi"),
        ("weekly", 2, FRIDAY, [], "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "un vendredi sur deux"),
        ("weekly", 3, SUNDAY, [], "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU", "un dimanche toutes les 3 semaines"),
        ("monthly", 1, THURSDAY, [1, 3], "FREQ=MONTHLY;BYDAY=1TH,3TH", "1er et 3e jeudis du mois"),
        ("monthly", 1, SATURDAY, [-1], "FREQ=MONTHLY;BYDAY=-1SA", "dernier samedi du mois"),
        ("monthly", 1, MONDAY, [1, 5, -1], "FREQ=MONTHLY;BYDAY=1MO,5MO,-1MO", "1er, 5e et dernier lundis du mois"),
    ],
)
def test_the_rrule_and_the_wording_are_read_from_the_same_rule(frequency, interval, weekday, positions, text, wording):
    rule = recurrence.build(frequency, interval, weekday, positions, date(2026, 1, 6))
    assert recurrence.rrule_text(rule) == text
    assert recurrence.describe(rule) == wording


@pytest.mark.parametrize(("text", "positions"), [("", []), ("3,1,3", [1, 3]), ("-1, 2", [2, -1])])
def test_positions_are_parsed_once_each_in_month_order(text, positions):
    assert recurrence.parse_positions(text) == positions


@pytest.mark.parametrize("text", ["0", "6", "-2", "1,x"])
def test_positions_outside_the_month_are_refused(text):
    with pytest.raises(ValueError):
        recurrence.parse_positions(text)


@pytest.mark.django_db
def test_a_suspension_ends_on_its_return_date_in_the_series_phase():
    meeting = make_meeting(
        weekday=Meeting.Weekday.TUESDAY,
        interval=3,
        starts_on=date(2026, 1, 6),
        status=Meeting.Status.SUSPENDED,
        suspended_until=date(2026, 6, 10),
    )
    # Every 3 weeks from 6 January: 2 and 23 June are in phase; 2 June falls in the suspension.
    assert meeting.occurrences(date(2026, 5, 1), date(2026, 7, 31)) == [date(2026, 6, 23), date(2026, 7, 14)]
    assert meeting.first_date == date(2026, 6, 23)


@pytest.mark.django_db
def test_a_meeting_keeps_its_local_hour_over_the_dst_weekend(client, time_machine):
    time_machine.move_to(datetime(2026, 3, 27, 12, 0, tzinfo=PARIS))
    meeting = make_meeting(weekday=Meeting.Weekday.SATURDAY, starts_on=date(2026, 3, 1), start_time=time(20))
    sunday = make_meeting(weekday=Meeting.Weekday.SUNDAY, starts_on=date(2026, 3, 1), start_time=time(2, 30))
    saturday, next_saturday = client.get(meeting.get_absolute_url()).context["next_dates"][:2]
    assert (saturday.date(), next_saturday.date()) == (date(2026, 3, 28), date(2026, 4, 4))
    assert {saturday.time(), next_saturday.time()} == {time(20)}
    assert (saturday.utcoffset(), next_saturday.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert next_saturday.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(days=7, hours=-1)
    # 2:30 does not exist on 29 March: the meeting is then at 3:30 summer time, as calendars place it too.
    change_night = sunday.next_dates(count=1)[0].astimezone(UTC)
    assert change_night == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert change_night.astimezone(PARIS).time() == time(3, 30)
