"""Dated suspensions ("pas de réunion du 1er au 31 août") and groups that stop meeting."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from directory.models import Meeting
from tests.factories import make_meeting
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def next_august():
    today = timezone.localdate()
    year = today.year + 1 if today >= date(today.year, 8, 1) else today.year
    return date(year, 8, 1), date(year, 9, 1)


def suspended(start, back, **fields):
    return make_meeting(status=Meeting.Status.SUSPENDED, suspended_from=start, suspended_until=back, **fields)


def test_a_window_skips_only_its_own_dates():
    meeting = suspended(date(2027, 8, 1), date(2027, 9, 1), starts_on=date(2027, 1, 5))
    days = meeting.occurrences(date(2027, 7, 20), date(2027, 9, 10))
    # Tuesdays: 20 and 27 July held, all of August skipped, back on 7 September.
    assert days == [date(2027, 7, 20), date(2027, 7, 27), date(2027, 9, 7)]


def test_a_suspension_without_start_begins_at_once_as_before():
    meeting = make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2027, 9, 1))
    assert meeting.occurrences(date(2027, 7, 20), date(2027, 9, 10)) == [date(2027, 9, 7)]


def test_a_suspension_to_come_leaves_the_meeting_as_it_is_until_it_begins():
    start, back = next_august()
    meeting = suspended(start, back)
    assert not meeting.is_suspended
    assert meeting.next_date is not None and meeting.next_date.date() < start
    assert meeting.suspension_note == f"Pas de réunion du {start:%d/%m/%Y} au {back - timedelta(days=1):%d/%m/%Y}"
    assert meeting in Meeting.objects.public()


def test_a_suspension_that_has_begun_says_when_the_meeting_resumes():
    today = timezone.localdate()
    meeting = suspended(today - timedelta(days=3), today + timedelta(days=20))
    assert meeting.is_suspended
    assert meeting.suspension_note == f"Suspendue, reprise le {today + timedelta(days=20):%d/%m/%Y}"
    assert meeting.next_date.date() >= today + timedelta(days=20)


def test_the_public_list_keeps_the_meeting_with_the_days_off(client):
    start, back = next_august()
    meeting = suspended(start, back)
    page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert meeting.get_absolute_url() in page and "pas de réunion du 1 août au 31 août" in page
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Pas de réunion du" in detail and "Prochaine" not in detail.split("Prochaines dates")[0]


def test_a_window_must_start_before_the_return(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    start, back = next_august()
    data = admin_form_data(
        client.get(url), status="suspended", suspended_from=f"{back:%Y-%m-%d}", suspended_until=f"{start:%Y-%m-%d}"
    )
    errors = client.post(url, data).context["adminform"].form.errors
    assert "commencer avant la date de reprise" in errors["suspended_from"][0]


def test_a_coordinator_enters_august_in_november_and_the_meeting_stays_listed(as_user, world, client):
    start, back = next_august()
    coordinator = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    data = admin_form_data(
        coordinator.get(url), status="suspended", suspended_from=f"{start}", suspended_until=f"{back}"
    )
    assert coordinator.post(url, data).status_code == 302
    coordinator.logout()
    finder = client.get("/reunions/").content.decode()
    assert world.vl_meeting.get_absolute_url() in finder


def test_closing_a_group_closes_its_meetings_and_its_page_says_so(as_user, world, client):
    nearby = make_meeting(name="Réunion voisine")  # another Nancy group: an alternative
    make_meeting(group=world.vl_group, start_time="10:00", end_time="11:00")
    coordinator = as_user(world.vl_coord)
    changelist = "/admin/directory/group/"
    form = {"action": "close_groups", "_selected_action": [world.vl_group.pk, world.cb_group.pk]}
    page = coordinator.post(changelist, form)
    assert page.status_code == 200 and "Fermer ce(s) groupe(s)" in page.content.decode()
    day = timezone.localdate() - timedelta(days=2)
    response = coordinator.post(changelist, {**form, "apply": "1", "closed_on": f"{day:%Y-%m-%d}"})
    assert response.status_code == 302
    assert set(world.vl_group.meetings.values_list("status", "closed_on")) == {("closed", day)}
    # Another movement's group, slipped into the POST, is untouched.
    assert world.cb_group.meetings.get().status == "active"
    assert world.vl_meeting.revisions.first().history_user == world.vl_coord

    coordinator.logout()
    page = client.get(world.vl_group.get_absolute_url()).content.decode()
    assert "Ce groupe a cessé ses réunions le" in page
    assert nearby.get_absolute_url() in page


def test_a_closing_date_to_come_is_refused(as_user, world):
    coordinator = as_user(world.vl_coord)
    later = timezone.localdate() + timedelta(days=10)
    response = coordinator.post(
        "/admin/directory/group/",
        {"action": "close_groups", "_selected_action": [world.vl_group.pk], "apply": "1", "closed_on": f"{later}"},
    )
    assert response.status_code == 200 and "suspendez les réunions" in response.content.decode()
    assert world.vl_group.meetings.get().status == "active"
