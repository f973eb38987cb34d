"""Freshness: public date, admin action and filter, and the reminder e-mails."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from directory.models import FreshnessReminder, Group, Meeting, Movement
from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture
def fresh_world(world):
    """Everything verified today, except what each test makes stale."""
    Movement.objects.update(verified_at=TODAY)
    Group.objects.update(verified_at=TODAY)
    Meeting.objects.update(verified_at=TODAY)
    return world


def test_public_pages_show_the_verification_date(client, world):
    Meeting.objects.filter(pk=world.vl_meeting.pk).update(verified_at=date(2026, 3, 2))
    assert "Informations vérifiées le 2 mars 2026" in client.get(f"/reunions/{world.vl_meeting.pk}/").content.decode()


def test_stale_filter_lists_entries_not_verified_for_six_months(as_user, fresh_world):
    Meeting.objects.filter(pk=fresh_world.vl_meeting.pk).update(verified_at=TODAY - timedelta(days=200))
    with time_machine.travel(TODAY, tick=False):
        response = as_user(fresh_world.admin).get("/admin/directory/meeting/", {"fraicheur": "perimee"})
    assert list(response.context["cl"].result_list) == [fresh_world.vl_meeting]


def test_stale_command_mails_each_coordinator_their_own_stale_entries(fresh_world, mailoutbox):
    Meeting.objects.filter(pk=fresh_world.vl_meeting.pk).update(verified_at=None)
    Group.objects.filter(pk=fresh_world.cb_group.pk).update(verified_at=TODAY - timedelta(days=400))
    with time_machine.travel(TODAY, tick=False):
        call_command("send_freshness_reminders", stdout=StringIO())
    by_recipient = {m.to[0]: m.body for m in mailoutbox}
    assert set(by_recipient) == {"coord_vl@example.org", "coord_cb@example.org"}
    assert "Réunion VL" in by_recipient["coord_vl@example.org"]
    assert f"/admin/directory/meeting/{fresh_world.vl_meeting.pk}/change/" in by_recipient["coord_vl@example.org"]
    assert "Croix-Bleue Metz" not in by_recipient["coord_vl@example.org"]
    assert "Croix-Bleue Metz" in by_recipient["coord_cb@example.org"]
    assert "Réunion VL" not in by_recipient["coord_cb@example.org"]


def test_stale_command_is_idempotent_within_the_interval(fresh_world, mailoutbox):
    Meeting.objects.filter(pk=fresh_world.vl_meeting.pk).update(verified_at=None)
    with time_machine.travel(TODAY, tick=False):
        call_command("send_freshness_reminders", stdout=StringIO())
        call_command("send_freshness_reminders", stdout=StringIO())
    assert len(mailoutbox) == 1
    assert FreshnessReminder.objects.get().user == fresh_world.vl_coord
    with time_machine.travel(TODAY + timedelta(days=31), tick=False):
        call_command("send_freshness_reminders", stdout=StringIO())
    assert len(mailoutbox) == 2


def test_nobody_is_mailed_when_everything_is_fresh_and_dry_run_sends_nothing(fresh_world, mailoutbox):
    make_coordinator("amis-de-la-sante", email="")  # no address: skipped, not an error
    with time_machine.travel(TODAY, tick=False):
        call_command("send_freshness_reminders", stdout=StringIO())
        assert mailoutbox == []
        Meeting.objects.filter(pk=fresh_world.vl_meeting.pk).update(verified_at=None)
        call_command("send_freshness_reminders", "--dry-run", stdout=StringIO())
    assert mailoutbox == [] and not FreshnessReminder.objects.exists()


def test_closed_meetings_are_not_reminded(fresh_world, mailoutbox):
    Meeting.objects.filter(pk=fresh_world.vl_meeting.pk).update(verified_at=None, status=Meeting.Status.CLOSED)
    with time_machine.travel(TODAY, tick=False):
        call_command("send_freshness_reminders", stdout=StringIO())
    assert mailoutbox == []


def test_confirm_action_sets_today_and_is_recorded_in_history(as_user, world):
    as_user(world.vl_coord).post(
        "/admin/directory/group/", {"action": "mark_verified", "_selected_action": [world.vl_group.pk]}
    )
    world.vl_group.refresh_from_db()
    assert world.vl_group.verified_at == timezone.localdate()
    assert world.vl_group.revisions.latest().history_user == world.vl_coord


def test_a_refused_reminder_is_logged_not_recorded_and_the_others_are_sent(fresh_world, mailoutbox, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.helpers.RefusingMailBackend"}}
    fresh_world.vl_coord.email = "coord_vl@injoignable.example"  # the first one the command reaches
    fresh_world.vl_coord.save()
    Meeting.objects.update(verified_at=None)
    with time_machine.travel(TODAY, tick=False), pytest.raises(CommandError, match="1 rappel"):
        call_command("send_freshness_reminders", stdout=StringIO(), stderr=StringIO())
    assert [m.to for m in mailoutbox] == [["coord_cb@example.org"]]
    assert list(FreshnessReminder.objects.values_list("user", flat=True)) == [fresh_world.cb_coord.pk]
    assert any("coord_vl@injoignable.example" in record.getMessage() and record.exc_info for record in caplog.records)
