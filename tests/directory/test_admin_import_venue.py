"""The CSV import's new venues: a commune by name needs no postal code unless it has several,
and what is wrong with a venue is said in words, not field names."""

import pytest

from directory.models import Meeting, Venue
from tests.directory.test_meeting_import import confirm, new_row, to_csv, upload

pytestmark = pytest.mark.django_db

BITCHE = "57089"


def test_a_commune_with_one_postal_code_is_enough(as_user, world):
    client = as_user(world.vl_coord)
    row = new_row(world, lieu="Salle du Casino", code_insee="", commune="Bitche", code_postal="")
    preview = upload(client, to_csv([row]))
    assert preview.context["result"].ok, preview.context["result"].errors
    confirm(client, preview)
    venue = Venue.objects.get(name="Salle du Casino")
    assert (venue.commune_id, venue.postal_code) == (BITCHE, "57230")
    assert Meeting.objects.filter(venue=venue).exists()


def test_a_commune_with_several_postal_codes_needs_the_row_one_said_in_words(as_user, world):
    client = as_user(world.vl_coord)
    row = new_row(world, lieu="Salle Poirel", code_insee="54395", code_postal="")
    result = upload(client, to_csv([row])).context["result"]
    assert not result.ok
    message = " ".join(text for _, text in result.errors)
    assert "lieu : code postal : " in message and "postal_code" not in message
    assert not Venue.objects.filter(name="Salle Poirel").exists()
