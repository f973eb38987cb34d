"""One rule for "exported": the queryset and the row-level property agree, and pages follow them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import Meeting
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db


def meetings_in_every_state():
    real = make_group(name="Groupe réel")
    demo_group = make_group(name="Groupe exemple", is_demo=True)
    draft_group = make_group(name="Groupe brouillon", published=False)
    return {
        "published": make_meeting(group=real),
        "draft": make_meeting(group=real, published=False, start_time="18:00", end_time="19:00"),
        "closed": make_meeting(group=real, status=Meeting.Status.CLOSED, start_time="17:00", end_time="18:00"),
        "suspended": make_meeting(
            group=real,
            status=Meeting.Status.SUSPENDED,
            suspended_until=timezone.localdate() + timedelta(days=20),
            start_time="16:00",
            end_time="17:00",
        ),
        "demo": make_meeting(group=real, is_demo=True, start_time="15:00", end_time="16:00"),
        "in a demo group": make_meeting(group=demo_group),
        "in a draft group": make_meeting(group=draft_group),
    }


def test_the_exportable_queryset_and_property_agree():
    meetings = meetings_in_every_state()
    exportable = set(Meeting.objects.exportable().values_list("pk", flat=True))
    assert exportable == {meetings["published"].pk, meetings["suspended"].pk}
    for meeting in Meeting.objects.for_listing():
        assert meeting.is_exportable == (meeting.pk in exportable), meeting


def test_it_offers_a_calendar_only_for_exportable_meetings(client):
    meetings = meetings_in_every_state()
    for state in ("published", "suspended"):
        page = client.get(meetings[state].get_absolute_url()).content.decode()
        assert f"/reunions/{meetings[state].pk}.ics" in page, state
    demo = client.get(meetings["demo"].get_absolute_url()).content.decode()
    assert f"/reunions/{meetings['demo'].pk}.ics" not in demo


def test_it_words_suspensions_and_hours_once_for_every_export():
    meeting = make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=timezone.localdate() + timedelta(days=3))
    expected_date = f"{meeting.suspended_until:%d/%m/%Y}"
    assert meeting.suspension_note == f"Suspendue, reprise le {expected_date}"
    assert meeting.time_range_text == "de 20:00 à 22:00"
    assert make_meeting(start_time="10:00", end_time="11:00").suspension_note == ""
