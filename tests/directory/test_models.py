from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.models import Meeting
from tests.factories import make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db


def unsaved_meeting(**fields):
    group = make_group()
    values = {
        "group": group,
        "venue": make_venue(),
        "weekday": Meeting.Weekday.TUESDAY,
        "start_time": time(20),
        "end_time": time(22),
    }
    values.update(fields)
    return Meeting(**values)


def assert_refused(meeting, field, message):
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert message in " ".join(excinfo.value.message_dict.get(field, []))
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_it_refuses_a_meeting_ending_before_it_starts():
    assert_refused(unsaved_meeting(start_time=time(20), end_time=time(19)), "end_time", "L'heure de fin doit être")


def test_it_refuses_an_online_meeting_without_link_or_phone():
    meeting = unsaved_meeting(modality=Meeting.Modality.ONLINE, venue=None)
    assert_refused(meeting, "video_url", "lien de visioconférence ou d'un téléphone")


def test_it_accepts_an_online_meeting_with_only_a_phone():
    meeting = unsaved_meeting(modality=Meeting.Modality.ONLINE, venue=None, phone="03 99 00 12 34")
    meeting.full_clean()
    meeting.save()


def test_it_refuses_an_in_person_meeting_without_venue():
    assert_refused(unsaved_meeting(venue=None), "venue", "besoin d'un lieu")


def test_it_refuses_a_monthly_meeting_without_weekday_position():
    assert_refused(unsaved_meeting(frequency=Meeting.Frequency.MONTHLY), "positions", "semaine(s) du mois")


def test_it_refuses_a_suspension_without_return_date():
    assert_refused(unsaved_meeting(status=Meeting.Status.SUSPENDED), "suspended_until", "date de reprise")


def test_it_refuses_malformed_positions_in_the_form():
    meeting = unsaved_meeting(frequency=Meeting.Frequency.MONTHLY, positions="1,9")
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert "positions" in excinfo.value.message_dict


def test_it_refuses_a_venue_postal_code_of_another_commune():
    venue = make_venue()
    venue.postal_code = "57000"
    with pytest.raises(ValidationError) as excinfo:
        venue.full_clean()
    assert "n'est pas celui de la commune" in excinfo.value.message_dict["postal_code"][0]


def test_it_describes_and_encodes_each_recurrence():
    weekly = make_meeting(weekday=Meeting.Weekday.TUESDAY)
    fortnightly = make_meeting(weekday=Meeting.Weekday.FRIDAY, interval=2)
    monthly = make_meeting(weekday=Meeting.Weekday.THURSDAY, frequency="monthly", positions="1,3")
    last = make_meeting(weekday=Meeting.Weekday.SATURDAY, frequency="monthly", positions="-1")
    assert (weekly.schedule_display, weekly.rrule) == ("chaque mardi", "FREQ=WEEKLY;BYDAY=TU")
    assert (fortnightly.schedule_display, fortnightly.rrule) == (
        "un vendredi sur deux",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    )
    assert (monthly.schedule_display, monthly.rrule) == ("1er et 3e jeudis du mois", "FREQ=MONTHLY;BYDAY=1TH,3TH")
    assert (last.schedule_display, last.rrule) == ("dernier samedi du mois", "FREQ=MONTHLY;BYDAY=-1SA")


def test_it_computes_occurrences_for_each_recurrence():
    fortnightly = make_meeting(weekday=Meeting.Weekday.TUESDAY, interval=2, starts_on=date(2026, 1, 6))
    monthly = make_meeting(weekday=Meeting.Weekday.THURSDAY, frequency="monthly", positions="1,3")
    last = make_meeting(weekday=Meeting.Weekday.SATURDAY, frequency="monthly", positions="-1")
    december = (date(2026, 12, 1), date(2026, 12, 31))
    assert fortnightly.occurrences(*december) == [date(2026, 12, 8), date(2026, 12, 22)]
    assert monthly.occurrences(*december) == [date(2026, 12, 3), date(2026, 12, 17)]
    assert last.occurrences(*december) == [date(2026, 12, 26)]


def test_it_skips_dates_while_suspended_and_all_dates_when_closed():
    suspended = make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2026, 12, 20))
    closed = make_meeting(status=Meeting.Status.CLOSED)
    december = (date(2026, 12, 1), date(2026, 12, 31))
    assert suspended.occurrences(*december) == [date(2026, 12, 22), date(2026, 12, 29)]
    assert closed.occurrences(*december) == []


def test_published_hides_drafts_at_every_level():
    visible = make_meeting()
    make_meeting(published=False)
    make_meeting(group=make_group(published=False))
    assert list(Meeting.objects.published().filter(group__name__startswith="Groupe de test")) == [visible]
