"""The first screen after login: a coordinator's movements and what needs her, each count linking to its list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import ChangeRequest, Meeting
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def tiles(response):
    return {tile["key"]: tile for tile in response.context["workspace_tiles"]}


def report(world, movement, **fields):
    return ChangeRequest.objects.create(movement=movement, target_label="x", message="Horaire faux", **fields)


def test_a_coordinator_lands_on_her_movement_with_big_add_buttons(as_user, world):
    response = as_user(world.vl_coord).get("/admin/")
    page = response.content.decode()
    assert "<strong>Vie Libre</strong>" in page and "Croix-Bleue" not in page
    assert "Espace coordinateurs" in page
    assert 'href="/admin/directory/meeting/add/"' in page and "Ajouter une réunion" in page
    assert "Ajouter un groupe" in page
    # Django's list of tables (most of them read-only for her) is not her home.
    assert 'class="app-list"' not in page


def test_each_count_is_the_length_of_the_list_it_links_to(as_user, world):
    report(world, world.vl)
    report(world, world.vl, state=ChangeRequest.State.REJECTED, handled_at=timezone.now())
    report(world, world.cb)
    make_meeting(group=world.vl_group, published=False, start_time="10:00", end_time="11:00")
    make_meeting(
        group=world.vl_group,
        status=Meeting.Status.SUSPENDED,
        suspended_until=timezone.localdate() + timedelta(days=30),
        start_time="12:00",
        end_time="13:00",
    )
    client = as_user(world.vl_coord)
    found = tiles(client.get("/admin/"))
    assert found["reports"]["count"] == 1
    assert found["unpublished_meetings"]["count"] == 1
    assert found["suspended_meetings"]["count"] == 1
    for tile in found.values():
        listed = client.get(tile["url"]).context["cl"].result_count
        assert listed == tile["count"], tile["key"]


def test_a_new_public_report_shows_on_the_home_and_in_the_menu(as_user, world):
    client = as_user(world.vl_coord)
    assert tiles(client.get("/admin/"))["reports"]["count"] == 0
    client.logout()
    client.post(
        f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": "La salle a changé.", "contact": "a@example.org"}
    )
    client = as_user(world.vl_coord)
    assert tiles(client.get("/admin/"))["reports"]["count"] == 1
    menu = client.get("/admin/directory/meeting/").content.decode()
    assert "Signalements d&#x27;erreur (1)" in menu or "Signalements d'erreur (1)" in menu


def test_administrators_keep_the_tables_under_the_counts_of_every_movement(as_user, world):
    report(world, world.vl)
    report(world, world.cb)
    response = as_user(world.admin).get("/admin/")
    assert tiles(response)["reports"]["count"] == 2
    assert 'class="app-list"' in response.content.decode()


def test_the_home_costs_the_same_queries_whatever_the_data(as_user, world):
    client = as_user(world.vl_coord)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/")
        return len(captured)

    before = queries()
    for i in range(5):
        make_meeting(group=world.vl_group, published=False, start_time=f"0{i}:00", end_time=f"0{i}:30")
        report(world, world.vl)
    assert queries() == before
