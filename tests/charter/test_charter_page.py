import pytest

from charter.models import CharterItem, Commitment
from tests.factories import get_movement

pytestmark = pytest.mark.django_db


def test_charter_page_shows_every_section_and_value(client):
    response = client.get("/charte/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Valeurs communes", "Compétences communes", "Missions", "Engagement qualité"]:
        assert title in html
    for value in ["Accueil", "Bénévolat", "Discrétion", "Disponibilité"]:
        assert value in html
    assert "Savoir-être" in html and "Préambule" in html


def test_charter_page_shows_published_movements_commitments(client):
    item = CharterItem.objects.get(code="valeur-ecoute")
    Commitment.objects.create(movement=get_movement("croix-bleue"), item=item, how="Une écoute chaque jeudi.")
    html = client.get("/charte/").content.decode()
    assert "Une écoute chaque jeudi." in html


def test_charter_page_uses_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/charte/")
