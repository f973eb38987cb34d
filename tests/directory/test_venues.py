"""Venue coordinates: both or neither, in France, and near the venue's commune."""

import pytest
from django.db import IntegrityError, transaction

from directory.models import Commune, Venue
from tests.factories import NANCY
from tests.helpers import venue_form

pytestmark = pytest.mark.django_db

ADD = "/admin/directory/venue/add/"


def test_a_coordinator_adds_a_venue_placed_in_its_commune(as_user, world):
    response = as_user(world.vl_coord).post(ADD, venue_form(latitude="48.6936", longitude="6.1846"))
    assert response.status_code == 302
    assert Venue.objects.get(name="Salle Jean Jaurès").coordinates == (48.6936, 6.1846)


def test_a_latitude_without_longitude_is_refused_in_the_admin(as_user, world):
    response = as_user(world.vl_coord).post(ADD, venue_form(latitude="48.6936"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Indiquez la latitude et la longitude" in errors["longitude"][0]  # next to the field
    assert not Venue.objects.filter(name="Salle Jean Jaurès").exists()


def test_coordinates_far_from_the_commune_are_refused_with_the_distance(as_user, world):
    # Strasbourg's cathedral, for a venue in Nancy.
    response = as_user(world.vl_coord).post(ADD, venue_form(latitude="48.5819", longitude="7.7510"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "latitude" in errors and "à 116 km du centre de Nancy" in errors["latitude"][0]
    assert not Venue.objects.filter(name="Salle Jean Jaurès").exists()


@pytest.mark.parametrize(("latitude", "longitude"), [(48.69, None), (None, 6.18)])
def test_the_database_refuses_half_coordinates(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.create(
            name="Salle",
            address="1 rue",
            postal_code="54000",
            commune=Commune.objects.get(pk=NANCY),
            latitude=latitude,
            longitude=longitude,
        )
