"""A venue's pin, placed on a small map (directory/admin_pin.py): what the form keeps, refuses and warns about.

The map itself is exercised in Chromium (tests/browser/test_workspace.py); here, what its hidden
fields post, the position it asks for, and the fallback without JavaScript.
"""

import pytest

from directory.models import Commune, Meeting, Venue
from directory.models.geo import distance_km
from tests.factories import NANCY, make_group, make_venue
from tests.helpers import venue_form

from .test_workspace_form import ADD, errors_of, form

pytestmark = pytest.mark.django_db

PONT_A_MOUSSON = "54431"
POSITION = "/admin/directory/venue/position/"


def test_a_new_venue_keeps_the_pin_placed_on_the_map(as_user, world):
    response = as_user(world.vl_coord).post(
        ADD,
        form(
            world.vl_group,
            new_venue_name="Salle Poirel",
            new_venue_address="3 rue Victor Poirel",
            new_venue_postal_code="54000",
            new_venue_latitude="48.69512",
            new_venue_longitude="6.17811",
        ),
    )
    assert response.status_code == 302, errors_of(response)
    venue = Venue.objects.get(name="Salle Poirel")
    assert (venue.latitude, venue.longitude, venue.commune_id) == (48.69512, 6.17811, NANCY)


def test_a_pin_far_from_the_venue_commune_is_refused_next_to_the_map(as_user, world):
    response = as_user(world.vl_coord).post(
        ADD,
        form(
            world.vl_group,
            new_venue_name="Salle Poirel",
            new_venue_address="3 rue Victor Poirel",
            new_venue_postal_code="54000",
            new_venue_latitude="49.6",
            new_venue_longitude="6.1",
        ),
    )
    assert "km du centre de Nancy" in " ".join(errors_of(response)["new_venue_latitude"])
    assert not Venue.objects.filter(name="Salle Poirel").exists()


def test_a_pin_alone_makes_no_venue(as_user, world):
    # The map was touched, then an existing venue chosen: the pin is not a venue of its own.
    venue = make_venue()
    response = as_user(world.vl_coord).post(
        ADD, form(world.vl_group, venue=venue.pk, new_venue_latitude="48.69", new_venue_longitude="6.18")
    )
    assert response.status_code == 302, errors_of(response)
    assert Meeting.objects.filter(venue=venue).exists()


def test_the_far_venue_warning_follows_the_pin(as_user, world):
    # Pont-à-Mousson's centre is within 30 km of Nancy, the group's commune; a pin 10 km further north is not.
    commune = Commune.objects.get(pk=PONT_A_MOUSSON)
    north = commune.latitude + 0.09
    assert distance_km(commune.latitude, commune.longitude, 48.69313, 6.18267) < 30
    assert distance_km(north, commune.longitude, 48.69313, 6.18267) > 30
    client = as_user(world.vl_coord)
    typed = {
        "new_venue_name": "Salle du Petit Cloître",
        "new_venue_address": "1 place Duroc",
        "new_venue_commune": PONT_A_MOUSSON,
    }
    at_centre = client.post(ADD, form(world.vl_group, **typed))
    assert at_centre.status_code == 302, errors_of(at_centre)

    pinned = {**typed, "new_venue_name": "Salle Montrichard", "new_venue_address": "2 rue Clemenceau"}
    pinned |= {"new_venue_latitude": str(north), "new_venue_longitude": str(commune.longitude)}
    warned = client.post(ADD, form(world.vl_group, **pinned))
    assert "plus de 30 km de Nancy" in " ".join(errors_of(warned)["new_venue_commune"])
    assert not Venue.objects.filter(name="Salle Montrichard").exists()
    confirmed = client.post(ADD, form(world.vl_group, **pinned, confirm_warnings="on"))
    assert confirmed.status_code == 302, errors_of(confirmed)
    assert Venue.objects.get(name="Salle Montrichard").latitude == north


def test_the_map_sits_after_the_coordinates_it_fills_which_remain_without_javascript(as_user, world):
    client = as_user(world.vl_coord)
    venue_page = client.get("/admin/directory/venue/add/").content.decode()
    assert venue_page.index('name="longitude"') < venue_page.index('class="venue-pin"')
    assert 'data-latitude="latitude" data-longitude="longitude"' in venue_page
    meeting_page = client.get(ADD).content.decode()
    assert 'name="new_venue_latitude"' in meeting_page and 'name="new_venue_longitude"' in meeting_page
    assert 'data-commune="new_venue_commune" data-group="group"' in meeting_page
    for page in (venue_page, meeting_page):
        # Our static copy of Leaflet, tiles from the configured server only, the map hidden until the script runs.
        assert "js_lib_leaflet/leaflet.js" in page and "js/venue_pin.js" in page
        assert '<div class="venue-pin" hidden' in page
        assert "Position" in page and "Placer le repère au centre de la carte" in page


def test_a_shared_venue_read_only_for_her_has_no_map(as_user, world):
    page = as_user(world.vl_coord).get(f"/admin/directory/venue/{world.cb_meeting.venue_id}/change/").content.decode()
    assert "Proposer une correction" in page and "venue-pin" not in page


def test_a_venue_saved_from_its_own_page_keeps_its_pin(as_user, world):
    response = as_user(world.vl_coord).post(
        "/admin/directory/venue/add/", venue_form(latitude="48.6921", longitude="6.1844")
    )
    assert response.status_code == 302
    assert Venue.objects.filter(latitude=48.6921, longitude=6.1844).exists()


def test_the_pin_starts_at_the_commune_or_the_group_commune(as_user, world):
    client = as_user(world.vl_coord)
    nancy = client.get(POSITION, {"commune": NANCY}).json()
    assert (nancy["commune"], nancy["zoom"]) == ("Nancy", 15)
    group = make_group(insee=PONT_A_MOUSSON)
    assert client.get(POSITION, {"groupe": group.pk}).json()["commune"] == "Pont-à-Mousson"
    region = client.get(POSITION).json()
    assert region["commune"] == "" and 47 < region["latitude"] < 50


@pytest.mark.parametrize(
    "params, message",
    [
        ({"commune": "99999"}, "Commune inconnue."),
        ({"commune": "'; drop"}, "Commune inconnue."),
        ({"groupe": "abc"}, "Groupe inconnu."),
    ],
)
def test_a_bad_position_question_gets_a_french_400(as_user, world, params, message):
    response = as_user(world.vl_coord).get(POSITION, params)
    assert (response.status_code, response.json()) == (400, {"erreur": message})


def test_another_movement_group_is_not_located(as_user, world):
    response = as_user(world.vl_coord).get(POSITION, {"groupe": world.cb_group.pk})
    assert response.status_code == 400


def test_the_position_is_for_signed_in_members_only(client, world):
    assert client.get(POSITION, {"commune": NANCY}).status_code == 302
