"""Saved, and visible: entries start published for their coordinator, and each save says what the public sees."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from directory.models import Group, Meeting
from tests.factories import make_group, make_meeting
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_new_group_starts_published_and_checked_today_for_its_coordinator(as_user, world):
    form = as_user(world.vl_coord).get("/admin/directory/group/add/").context["adminform"].form
    assert form["published"].value() is True
    assert form["verified_at"].value() == timezone.localdate()


def test_a_group_added_through_the_plus_pop_up_starts_published_too(as_user, world):
    form = as_user(world.vl_coord).get("/admin/directory/group/add/?_popup=1").context["adminform"].form
    assert form["published"].value() is True


def test_a_meeting_added_inline_on_a_group_page_starts_published(as_user, world):
    response = as_user(world.vl_coord).get("/admin/directory/group/add/")
    inline = response.context["inline_admin_formsets"][0].formset
    assert inline.empty_form["published"].value() is True


def test_administrators_choose_publication_themselves(as_user, world):
    form = as_user(world.admin).get("/admin/directory/meeting/add/").context["adminform"].form
    assert not form["published"].value()


def test_the_hidden_reasons_agree_with_the_public_queryset(world):
    draft_group = make_group(published=False)
    rows = [
        world.vl_meeting,
        make_meeting(group=world.vl_group, published=False, start_time="10:00", end_time="11:00"),
        make_meeting(group=world.vl_group, status=Meeting.Status.CLOSED, start_time="12:00", end_time="13:00"),
        make_meeting(group=draft_group),
    ]
    public = set(Meeting.objects.public().values_list("pk", flat=True))
    for meeting in Meeting.objects.filter(pk__in=[m.pk for m in rows]).for_listing():
        assert (meeting.hidden_reasons() == []) == (meeting.pk in public), meeting


def test_it_says_a_saved_meeting_is_visible_with_its_public_link(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), name="Réunion du mardi"), follow=True)
    text = " ".join(messages_of(response))
    assert "Visible par le public" in text and world.vl_meeting.get_absolute_url() in text


def test_it_says_why_a_meeting_is_hidden_and_fixes_it_in_one_click(as_user, world):
    Group.objects.filter(pk=world.vl_group.pk).update(published=False)
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)), follow=True)
    text = " ".join(messages_of(response))
    assert "Pas encore visible par le public" in text and "le groupe n&#x27;est pas publié" in text
    fix = f"/admin/directory/group/{world.vl_group.pk}/publier/"
    assert fix in text and "Publier le groupe" in text
    # "Voir sur le site" would lead to a 404: not offered.
    assert client.get(url).context["has_absolute_url"] is False

    response = client.post(fix, {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    world.vl_group.refresh_from_db()
    assert world.vl_group.published
    assert world.vl_group.revisions.first().history_user == world.vl_coord
    assert client.get(world.vl_meeting.get_absolute_url()).status_code == 200


def test_the_one_click_fix_needs_post_and_the_right_to_change(as_user, world):
    Group.objects.filter(pk=world.cb_group.pk).update(published=False)
    fix = f"/admin/directory/group/{world.cb_group.pk}/publier/"
    assert as_user(world.cb_coord).get(fix).status_code == 405
    assert as_user(world.vl_coord).post(fix).status_code == 404
    assert as_user(world.observer).post(fix).status_code == 403
    world.cb_group.refresh_from_db()
    assert not world.cb_group.published


def test_the_fix_never_sends_the_user_to_another_site(as_user, world):
    Meeting.objects.filter(pk=world.vl_meeting.pk).update(published=False)
    response = as_user(world.vl_coord).post(
        f"/admin/directory/meeting/{world.vl_meeting.pk}/publier/", {"next": "https://ailleurs.example/"}
    )
    assert response["Location"] == f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
