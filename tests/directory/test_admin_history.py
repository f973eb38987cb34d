"""History, revert and undelete ("Corbeille") in the admin."""

import pytest

from directory.models import Group, Meeting
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def delete_group_as(client, group):
    response = client.post(f"/admin/directory/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()


def test_history_shows_who_changed_what(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    client.post(url, admin_form_data(client.get(url), name="Réunion du mardi"))
    html = client.get(f"/admin/directory/meeting/{world.vl_meeting.pk}/history/").content.decode()
    assert "coord_vl" in html
    assert "Réunion VL" in html and "Réunion du mardi" in html  # the diff: old and new value


def test_coordinator_reverts_their_meeting_to_an_earlier_version(as_user, world):
    first = world.vl_meeting.revisions.earliest()
    world.vl_meeting.name = "Version abîmée"
    world.vl_meeting.save()
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/history/{first.history_id}/"
    response = client.get(url)
    assert response.status_code == 200
    assert client.post(url, admin_form_data(response)).status_code == 302
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.name == "Réunion VL"
    assert world.vl_meeting.revisions.count() == 3


def test_deleted_group_comes_back_with_its_meetings_from_the_trash(as_user, world):
    client = as_user(world.vl_coord)
    meeting_pk = world.vl_meeting.pk
    delete_group_as(client, world.vl_group)
    assert not Meeting.objects.filter(pk=meeting_pk).exists()

    trash = client.get("/admin/directory/group/corbeille/")
    assert trash.status_code == 200
    records = [record for record, can_restore in trash.context["records"] if can_restore]
    assert [r.id for r in records] == [world.vl_group.pk]

    response = client.post(f"/admin/directory/group/corbeille/{records[0].history_id}/restaurer/")
    assert response.status_code == 302
    restored = Group.objects.get(pk=world.vl_group.pk)
    assert restored.name == "Vie Libre Nancy"
    meeting = Meeting.objects.get(pk=meeting_pk)
    assert meeting.name == "Réunion VL" and meeting.group == restored
    assert restored.revisions.latest().history_user == world.vl_coord
    assert client.get("/admin/directory/group/corbeille/").context["records"] == []


def test_trash_of_another_movement_is_invisible_and_cannot_be_restored(as_user, world):
    delete_group_as(as_user(world.cb_coord), world.cb_group)
    record = Group.revisions.filter(id=world.cb_group.pk, history_type="-").get()
    client = as_user(world.vl_coord)
    assert client.get("/admin/directory/group/corbeille/").context["records"] == []
    assert client.get("/admin/directory/meeting/corbeille/").context["records"] == []
    assert client.post(f"/admin/directory/group/corbeille/{record.history_id}/restaurer/").status_code == 403
    assert client.get(f"/admin/directory/group/{world.cb_group.pk}/history/").status_code == 403
    assert not Group.objects.filter(pk=world.cb_group.pk).exists()
    # An administrator may restore anything.
    client = as_user(world.admin)
    assert client.post(f"/admin/directory/group/corbeille/{record.history_id}/restaurer/").status_code == 302
    assert Group.objects.filter(pk=world.cb_group.pk).exists()


def test_restore_needs_post(as_user, world):
    client = as_user(world.vl_coord)
    delete_group_as(client, world.vl_group)
    record = Group.revisions.filter(id=world.vl_group.pk, history_type="-").get()
    assert client.get(f"/admin/directory/group/corbeille/{record.history_id}/restaurer/").status_code == 405


def test_a_meeting_cannot_come_back_without_its_group(as_user, world):
    client = as_user(world.vl_coord)
    delete_group_as(client, world.vl_group)
    record = Meeting.revisions.filter(id=world.vl_meeting.pk, history_type="-").get()
    trash = client.get("/admin/directory/meeting/corbeille/")
    assert [r.id for r, _ in trash.context["records"]] == [world.vl_meeting.pk]
    response = client.post(f"/admin/directory/meeting/corbeille/{record.history_id}/restaurer/", follow=True)
    assert "Impossible de restaurer" in response.content.decode()
    assert not Meeting.objects.filter(pk=world.vl_meeting.pk).exists()


def test_deleted_meeting_history_stays_readable_by_its_coordinator(as_user, world):
    client = as_user(world.vl_coord)
    client.post(f"/admin/directory/meeting/{world.vl_meeting.pk}/delete/", {"post": "yes"})
    assert client.get(f"/admin/directory/meeting/{world.vl_meeting.pk}/history/").status_code == 200
    assert as_user(world.cb_coord).get(f"/admin/directory/meeting/{world.vl_meeting.pk}/history/").status_code == 403


def test_coordinator_restores_a_venue_they_deleted_but_not_another_ones(as_user, world):
    from directory.models import Venue
    from tests.factories import make_venue

    venue = make_venue()
    venue.revisions.update(history_user=world.vl_coord)
    client = as_user(world.vl_coord)
    assert client.post(f"/admin/directory/venue/{venue.pk}/delete/", {"post": "yes"}).status_code == 302
    record = Venue.revisions.filter(id=venue.pk, history_type="-").get()
    assert (
        as_user(world.cb_coord).post(f"/admin/directory/venue/corbeille/{record.history_id}/restaurer/").status_code
        == 403
    )
    assert (
        as_user(world.vl_coord).post(f"/admin/directory/venue/corbeille/{record.history_id}/restaurer/").status_code
        == 302
    )
    assert Venue.objects.filter(pk=venue.pk).exists()


def test_history_page_reads_in_french_without_none(as_user, world):
    client = as_user(world.vl_coord)
    response = client.get(f"/admin/directory/meeting/{world.vl_meeting.pk}/change/")
    data = admin_form_data(response, notes="Nouvelle note")
    client.post(f"/admin/directory/meeting/{world.vl_meeting.pk}/change/", data)
    html = client.get(f"/admin/directory/meeting/{world.vl_meeting.pk}/history/").content.decode()
    assert (
        "Modifications" in html and "Changes" not in html and ">None<" not in html.replace(" ", "").replace("\n", "")
    )


# --- objects moved between movements: a revert or restore needs the current row AND the version ----------


def move_as_admin(client, url, **overrides):
    """What an administrator's change form posts to move a row elsewhere."""
    response = client.post(url, admin_form_data(client.get(url), **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_coordinator_cannot_take_back_a_group_an_administrator_moved_to_another_movement(as_user, world):
    theirs_before = world.vl_group.revisions.latest()
    move_as_admin(
        as_user(world.admin),
        f"/admin/directory/group/{world.vl_group.pk}/change/",
        movement=str(world.cb.pk),
        **{"meetings-TOTAL_FORMS": "0", "meetings-INITIAL_FORMS": "0"},
    )
    client = as_user(world.vl_coord)
    url = f"/admin/directory/group/{world.vl_group.pk}/history/{theirs_before.history_id}/"
    data = {
        "movement": str(world.vl.pk),
        "name": "Repris par VL",
        "commune": world.vl_group.commune_id,
        "published": "on",
    }
    # The defect: this revert answered 302 and gave the group back to Vie Libre.
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 403
    world.vl_group.refresh_from_db()
    assert world.vl_group.movement == world.cb and world.vl_group.name == "Vie Libre Nancy"


def test_a_coordinator_cannot_take_back_a_meeting_an_administrator_moved_to_another_movement(as_user, world):
    theirs_before = world.vl_meeting.revisions.latest()
    move_as_admin(
        as_user(world.admin),
        f"/admin/directory/meeting/{world.vl_meeting.pk}/change/",
        group=str(world.cb_group.pk),
        confirm_warnings="on",  # a Nancy venue for a Metz group: the distance is confirmed
    )
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/history/{theirs_before.history_id}/"
    admin_view = as_user(world.admin).get(url)
    client = as_user(world.vl_coord)
    assert client.post(url, admin_form_data(admin_view, name="Reprise")).status_code == 403
    assert client.get(url).status_code == 403
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.group == world.cb_group and world.vl_meeting.name == "Réunion VL"


def test_a_coordinator_cannot_revert_their_group_to_a_version_of_another_movement(as_user, world):
    """Moved from Croix-Bleue to Vie Libre: Vie Libre may edit it, not hand it back to Croix-Bleue."""
    cb_version = world.cb_group.revisions.latest()
    move_as_admin(
        as_user(world.admin),
        f"/admin/directory/group/{world.cb_group.pk}/change/",
        movement=str(world.vl.pk),
        **{"meetings-TOTAL_FORMS": "0", "meetings-INITIAL_FORMS": "0"},
    )
    vl_version = world.cb_group.revisions.latest()
    client = as_user(world.vl_coord)
    url = f"/admin/directory/group/{world.cb_group.pk}/history/{cb_version.history_id}/"
    data = {"movement": str(world.vl.pk), "name": "Croix-Bleue Metz", "commune": world.cb_group.commune_id}
    assert client.post(url, data).status_code == 403
    # Its own version stays revertible.
    url = f"/admin/directory/group/{world.cb_group.pk}/history/{vl_version.history_id}/"
    assert client.post(url, {**data, "name": "Groupe de Metz"}).status_code == 302
    world.cb_group.refresh_from_db()
    assert world.cb_group.movement == world.vl and world.cb_group.name == "Groupe de Metz"


def test_a_group_moved_then_deleted_is_restored_only_by_its_last_movement(as_user, world):
    move_as_admin(
        as_user(world.admin),
        f"/admin/directory/group/{world.vl_group.pk}/change/",
        movement=str(world.cb.pk),
        **{"meetings-TOTAL_FORMS": "0", "meetings-INITIAL_FORMS": "0"},
    )
    delete_group_as(as_user(world.cb_coord), world.vl_group)
    record = Group.revisions.filter(id=world.vl_group.pk, history_type="-").get()
    client = as_user(world.vl_coord)
    assert client.get("/admin/directory/group/corbeille/").context["records"] == []
    assert client.post(f"/admin/directory/group/corbeille/{record.history_id}/restaurer/").status_code == 403
    assert not Group.objects.filter(pk=world.vl_group.pk).exists()
    client = as_user(world.cb_coord)
    assert client.post(f"/admin/directory/group/corbeille/{record.history_id}/restaurer/").status_code == 302
    assert Group.objects.get(pk=world.vl_group.pk).movement == world.cb
