"""A sweep of every admin URL of another movement's objects, for a coordinator and an outsider.

The targeted tests in test_admin_permissions.py show each rule; this one makes
sure no URL was forgotten: whatever the path, Croix-Bleue's rows stay out of a
Vie Libre coordinator's reach, while an administrator reaches them all.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from charter.models import CharterItem, Commitment
from directory.models import ChangeRequest, Group, Meeting, Movement, Venue
from tests.directory.test_meeting_import import new_row, to_csv, upload
from tests.factories import make_coordinator, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

# The Croix-Bleue name appears in no Vie Libre page, so its presence in a body means a leak.
SECRET = "Réunion CB"


@pytest.fixture
def targets(world):
    """Croix-Bleue's rows, each with its admin URL prefix.

    Venues are shared places: a coordinator may view any (read-only) but not edit one another movement uses.
    """
    cb_venue = make_venue(name="Salle réservée Croix-Bleue")
    make_meeting(group=world.cb_group, venue=cb_venue, name=SECRET)
    commitment = Commitment.objects.create(
        movement=world.cb, item=CharterItem.objects.get(code="valeur-ecoute"), how="Écoute CB"
    )
    report = ChangeRequest.objects.create(
        movement=world.cb, group=world.cb_group, message="Horaire faux", contact="x@example.org"
    )
    rows = [
        (world.cb, "directory/movement"),
        (world.cb_group, "directory/group"),
        (world.cb_meeting, "directory/meeting"),
        (cb_venue, "directory/venue"),
        (commitment, "charter/commitment"),
        (report, "directory/changerequest"),
    ]
    return [(obj, f"/admin/{prefix}/{obj.pk}/") for obj, prefix in rows]


def urls_of(obj, base):
    urls = [base + "change/", base + "delete/", base + "history/"]
    manager = getattr(type(obj), "revisions", None) or getattr(type(obj), "history", None)
    if manager is not None and hasattr(manager, "filter"):
        record = manager.filter(id=obj.pk).first()
        if record:
            urls.append(f"{base}history/{record.history_id}/")
    return urls


def reached(response):
    """The page shows the other movement's data, or offers to save or delete it."""
    body = response.content
    return response.status_code == 200 and (
        SECRET.encode() in body or b'name="_save"' in body or b'<input type="hidden" name="post" value="yes">' in body
    )


def test_a_coordinator_reaches_no_url_of_another_movements_rows(as_user, world, targets):
    client = as_user(world.vl_coord)
    for obj, base in targets:
        for url in urls_of(obj, base):
            response = client.get(url)
            assert not reached(response), f"{url} answered {response.status_code}"
            if not url.endswith(("/delete/", "/history/")):
                continue
            before = type(obj).objects.filter(pk=obj.pk).count()
            client.post(url, {"post": "yes"})
            assert type(obj).objects.filter(pk=obj.pk).count() == before, f"POST {url} deleted a row"


def test_a_staff_user_without_membership_reaches_nothing(as_user, world, targets):
    outsider = make_coordinator(username="sans_rattachement")
    outsider.memberships.all().delete()
    client = as_user(outsider)
    for obj, base in targets:
        for url in [*urls_of(obj, base), base.rsplit("/", 2)[0] + "/"]:
            assert not reached(client.get(url)), url


def test_changelists_of_every_scoped_model_hide_the_other_movement(as_user, world, targets):
    client = as_user(world.vl_coord)
    for _, base in targets:
        changelist = base.rsplit("/", 2)[0] + "/"
        response = client.get(changelist)
        assert SECRET.encode() not in response.content and b"Croix-Bleue Metz" not in response.content, changelist


def test_an_administrator_reaches_every_url(as_user, world, targets):
    client = as_user(world.admin)
    for obj, base in targets:
        for url in urls_of(obj, base):
            if url.endswith("/delete/"):
                continue
            assert client.get(url).status_code == 200, url
    assert Movement.objects.filter(pk=world.cb.pk).exists()
    assert Group.objects.filter(pk=world.cb_group.pk).exists() and Meeting.objects.filter(name=SECRET).exists()
    assert Venue.objects.filter(name="Salle réservée Croix-Bleue").exists()


# --- every path, including rows an administrator moved from one movement to another ----------------------

MOVED_SECRET = "Groupe parti chez Croix-Bleue"


@pytest.fixture
def moved(world):
    """A Vie Libre group and meeting an administrator gave to Croix-Bleue: their history has Vie Libre versions."""
    group = make_group("vie-libre", name=MOVED_SECRET, published=False)
    meeting = make_meeting(group=world.vl_group, name="Réunion partie chez Croix-Bleue", published=False)
    for obj, field, value in [(group, "movement", world.cb), (meeting, "group", world.cb_group)]:
        setattr(obj, field, value)
        obj._history_user = world.admin
        obj.save()
    world.cb_group.published = False
    world.cb_group.save()
    return [(group, "directory/group"), (meeting, "directory/meeting")]


def snapshot(obj):
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def every_version_url(obj, base):
    return [f"{base}history/{v.history_id}/" for v in obj.revisions.filter(id=obj.pk)]


def test_a_coordinator_can_neither_read_nor_revert_any_version_of_rows_now_elsewhere(as_user, world, targets, moved):
    client = as_user(world.vl_coord)
    rows = [(obj, base) for obj, base in targets if hasattr(type(obj), "revisions")]
    rows += [(obj, f"/admin/{prefix}/{obj.pk}/") for obj, prefix in moved]
    for obj, base in rows:
        before = snapshot(obj)
        for url in [base + "history/", *every_version_url(obj, base)]:
            # Venues are shared places, readable by every member: only their revert is refused.
            if not isinstance(obj, Venue):
                assert client.get(url).status_code in (403, 404), url
            # What a revert to a Vie Libre version posts: it must change nothing.
            data = {"movement": str(world.vl.pk), "group": str(world.vl_group.pk), "name": "Repris", "post": "yes"}
            assert client.post(url, data).status_code != 302, url
        assert snapshot(obj) == before, base


def test_the_view_on_site_shortcut_hides_where_another_movements_rows_point(as_user, world, targets, moved):
    # Venues are shared: every member may see where one points.
    rows = [(obj, base) for obj, base in [*targets, *moved] if not isinstance(obj, Venue)]
    client = as_user(world.vl_coord)
    for obj, _ in rows:
        url = f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"
        assert client.get(url).status_code == 404, url
    own = f"/admin/r/{ContentType.objects.get_for_model(Group).pk}/{world.vl_group.pk}/"
    assert client.get(own)["Location"].endswith(world.vl_group.get_absolute_url())
    assert client.get("/admin/r/99999/1/").status_code == 404
    client = as_user(world.admin)
    group_url = f"/admin/r/{ContentType.objects.get_for_model(Group).pk}/{world.cb_group.pk}/"
    assert client.get(group_url)["Location"].endswith(world.cb_group.get_absolute_url())


def test_the_trash_of_rows_moved_then_deleted_belongs_to_their_last_movement(as_user, world, moved):
    deleted = [(type(obj), obj.pk, prefix) for obj, prefix in moved]
    for obj, _ in reversed(moved):
        obj._history_user = world.admin
        obj.delete()
    client = as_user(world.vl_coord)
    for model, pk, prefix in deleted:
        assert client.get(f"/admin/{prefix}/corbeille/").context["records"] == [], prefix
        record = model.revisions.filter(id=pk, history_type="-").get()
        assert client.post(f"/admin/{prefix}/corbeille/{record.history_id}/restaurer/").status_code == 403
        assert not model.objects.filter(pk=pk).exists()
        assert client.get(f"/admin/{prefix}/{pk}/history/").status_code == 403
        assert client.get(f"/admin/{prefix}/{pk}/history/{record.history_id}/").status_code == 403
    client = as_user(world.cb_coord)
    for model, pk, prefix in deleted:
        record = model.revisions.filter(id=pk, history_type="-").get()
        assert client.post(f"/admin/{prefix}/corbeille/{record.history_id}/restaurer/").status_code == 302


def test_lists_actions_autocomplete_and_export_leave_moved_rows_alone(as_user, world, moved):
    (group, _), (meeting, _) = moved
    client = as_user(world.vl_coord)
    before = [snapshot(group), snapshot(meeting)]
    for prefix, obj in [("group", group), ("meeting", meeting)]:
        listing = client.get(f"/admin/directory/{prefix}/")
        assert obj not in listing.context["cl"].result_list
        for action in ["mark_verified", "delete_selected"]:
            client.post(f"/admin/directory/{prefix}/", {"action": action, "_selected_action": [obj.pk], "post": "yes"})
    assert [snapshot(group), snapshot(meeting)] == before
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "directory", "model_name": "meeting", "field_name": "group", "term": "parti"},
    ).json()
    assert found["results"] == []
    export = client.get("/admin/directory/meeting/export/").content.decode()
    assert "Réunion partie chez Croix-Bleue" not in export and SECRET not in export
    assert "Réunion VL" in export
    # An import naming the moved meeting's id cannot take it back either.
    result = upload(client, to_csv([new_row(world, id=str(meeting.pk), intitule="Reprise")])).context["result"]
    assert not result.ok and "d'un autre mouvement" in " ".join(message for _, message in result.errors)
    assert snapshot(meeting) == before[1]
