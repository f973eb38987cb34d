"""Plain French in the coordinators' admin: titles, header, languages by name, no demo flag."""

import pytest

from directory.models import Meeting
from tests.factories import make_venue

pytestmark = pytest.mark.django_db


def test_lists_are_titled_by_what_they_list(as_user, world):
    page = as_user(world.vl_coord).get("/admin/directory/meeting/").content.decode()
    assert "<h1>Réunions</h1>" in page and "<title>Réunions |" in page
    assert "objet" not in page.split("<body")[1].split('id="changelist"')[0]


def test_a_coordinator_works_in_the_espace_coordinateurs(as_user, world):
    assert "Espace coordinateurs" in as_user(world.vl_coord).get("/admin/directory/group/").content.decode()
    assert "Espace coordinateurs" not in as_user(world.admin).get("/admin/directory/group/").content.decode()


def test_languages_are_ticked_by_name_not_typed_as_iso_codes(as_user, world):
    client = as_user(world.vl_coord)
    page = client.get("/admin/directory/meeting/add/").content.decode()
    assert " allemand</label>" in page and "ISO 639-1" not in page
    venue = make_venue()
    data = {
        "group": world.vl_group.pk,
        "weekday": "2",
        "start_time": "18h",
        "end_time": "19h30",
        "frequency": "weekly",
        "interval": "1",
        "modality": "presentiel",
        "venue": venue.pk,
        "languages": ["fr", "de"],
        "type": "groupe-de-parole",
        "audience": "tous",
        "starts_on": "2026-01-07",
        "status": "active",
    }
    assert client.post("/admin/directory/meeting/add/", data).status_code == 302
    assert Meeting.objects.get(venue=venue).languages == "fr de"
