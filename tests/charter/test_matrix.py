"""/charte/engagements/: movements × charter sections and items."""

import pytest

from charter.models import Charter, CharterItem, Commitment
from directory.models import Movement
from tests.factories import get_movement

pytestmark = pytest.mark.django_db


def matrix(client):
    response = client.get("/charte/engagements/")
    assert response.status_code == 200
    return response


def cell(response, item_code, movement_slug):
    columns = [movement.slug for movement, _signed, _recorded in response.context["columns"]]
    for _section, rows in response.context["sections"]:
        for row in rows:
            if row.item.code == item_code:
                return row.cells[columns.index(movement_slug)]
    raise AssertionError(item_code)


def test_it_shows_the_signatories_from_the_charters_own_list(client):
    signatories = set(Charter.objects.get().signatories.values_list("name", flat=True))
    response = matrix(client)
    signed = {movement.name for movement, is_signatory, _ in response.context["columns"] if is_signatory}
    assert signed == signatories and signed
    assert "Narcotiques Anonymes" not in signed  # the charter's list does not name it
    html = response.content.decode()
    for name in signatories:
        assert name in html.split("(signataires) :")[1].split("</p>")[0]


def test_every_section_and_item_is_a_row_and_every_movement_a_column(client):
    response = matrix(client)
    rows = [row.item.code for _section, rows in response.context["sections"] for row in rows]
    assert sorted(rows) == sorted(CharterItem.objects.values_list("code", flat=True))
    assert [section.title for section, _rows in response.context["sections"]][0] == "Valeurs communes"
    assert len(response.context["columns"]) == Movement.objects.published().count()


def test_without_commitments_every_cell_says_non_renseigne(client):
    response = matrix(client)
    html = response.content.decode()
    cells = CharterItem.objects.count() * Movement.objects.published().count()
    assert html.count("non renseigné") == cells
    assert "Aucun mouvement n'a encore renseigné ses engagements." in html


def test_a_commitment_is_shown_in_its_cell_and_the_others_stay_non_renseigne(client):
    item = CharterItem.objects.get(code="valeur-ecoute")
    Commitment.objects.create(movement=get_movement("croix-bleue"), item=item, how="Une écoute chaque jeudi.")
    response = matrix(client)
    assert cell(response, "valeur-ecoute", "croix-bleue").how == "Une écoute chaque jeudi."
    assert cell(response, "valeur-ecoute", "vie-libre") is None
    assert "Une écoute chaque jeudi." in response.content.decode()
    counts = {movement.slug: recorded for movement, _signed, recorded in response.context["columns"]}
    assert counts["croix-bleue"] == 1 and counts["vie-libre"] == 0


def test_demo_commitments_carry_the_demo_badge_here_on_the_charter_and_on_the_fiche(client):
    item = CharterItem.objects.get(code="valeur-accueil")
    Commitment.objects.create(movement=get_movement("vie-libre"), item=item, how="Texte fictif.", is_demo=True)
    for url in ["/charte/engagements/", "/charte/", "/mouvements/vie-libre/"]:
        html = client.get(url).content.decode()
        assert "Texte fictif." in html
        assert "badge-demo" in html, url


def test_the_charter_page_shows_commitments_openly_and_links_to_the_matrix(client):
    item = CharterItem.objects.get(code="valeur-ecoute")
    Commitment.objects.create(movement=get_movement("croix-bleue"), item=item, how="Une écoute chaque jeudi.")
    html = client.get("/charte/").content.decode()
    assert "<details><summary>Comment les mouvements le vivent" not in html
    assert "Comment les mouvements le vivent :" in html
    assert 'href="/charte/engagements/"' in html


def test_a_draft_movement_is_not_a_column(client):
    Movement.objects.filter(slug="vie-libre").update(published=False)
    response = matrix(client)
    assert "vie-libre" not in [movement.slug for movement, _, _ in response.context["columns"]]


def test_it_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for code in CharterItem.objects.values_list("code", flat=True)[:10]:
        Commitment.objects.create(movement=get_movement("croix-bleue"), item=CharterItem.objects.get(code=code))
    with django_assert_max_num_queries(7):
        matrix(client)
