"""A sweep of every admin URL of another movement's objects, for a coordinator and an outsider.

The targeted tests in test_admin_permissions.py show each rule; this one makes
sure no URL was forgotten: whatever the path, Croix-Bleue's rows stay out of a
Vie Libre coordinator's reach, while an administrator reaches them all.
"""

import pytest

from charter.models import CharterItem, Commitment
from directory.models import ChangeRequest, Group, Meeting, Movement, Venue
from tests.factories import make_coordinator, make_meeting, make_venue

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
