"""The "Professionnels et partenaires" block of a movement's fiche: the contact it designates for professionals."""

import pytest

from directory.models import Movement
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

CHANGE = "/admin/directory/movement/{pk}/change/"


def test_the_partner_contact_is_hidden_while_empty(client):
    html = client.get("/mouvements/vie-libre/").content.decode()
    assert "Professionnels et partenaires" in html  # the block still offers the meetings on paper
    assert "Interlocuteur" not in html
    assert 'href="/reunions/imprimer/?mouvement=vie-libre"' in html


def test_the_partner_contact_is_shown_apart_from_the_public_contacts(client):
    Movement.objects.filter(slug="vie-libre").update(
        partner_contact_name="Délégation régionale Grand Est",
        partner_contact_role="commission partenariats",
        partner_email="partenariats@vielibre.example.org",
        partner_phone="03 83 00 00 00",
        partner_topics="Visites à l'hôpital et en CSAPA, conventions de partenariat",
    )
    html = client.get("/mouvements/vie-libre/").content.decode()
    block = html.split('id="professionnels"')[1].split("</section>")[0]
    assert "Délégation régionale Grand Est – commission partenariats" in block
    assert 'href="mailto:partenariats@vielibre.example.org"' in block
    assert 'href="tel:0383000000"' in block
    assert "Visites à l&#x27;hôpital et en CSAPA" in block
    assert "partenariats@vielibre.example.org" not in html.split('id="contacts"')[1]


def test_a_coordinator_edits_their_movements_partner_contact(as_user, world):
    client = as_user(world.vl_coord)
    url = CHANGE.format(pk=world.vl.pk)
    data = admin_form_data(
        client.get(url), partner_contact_name_fr="Commission hôpitaux", partner_phone="03 83 11 22 33"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.vl.refresh_from_db()
    assert (world.vl.partner_contact_name, world.vl.partner_phone) == ("Commission hôpitaux", "03 83 11 22 33")


def test_a_bad_partner_phone_is_refused_next_to_its_field(as_user, world):
    client = as_user(world.vl_coord)
    url = CHANGE.format(pk=world.vl.pk)
    response = client.post(url, admin_form_data(client.get(url), partner_phone="appelez-nous"))
    assert response.status_code == 200
    assert "partner_phone" in response.context["adminform"].form.errors


def test_a_coordinator_cannot_edit_another_movements_partner_contact(as_user, world):
    url = CHANGE.format(pk=world.vl.pk)
    data = admin_form_data(as_user(world.vl_coord).get(url), partner_contact_name_fr="Piraté")
    as_user(world.cb_coord).post(url, data)
    world.vl.refresh_from_db()
    assert world.vl.partner_contact_name == ""
