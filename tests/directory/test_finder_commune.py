"""The finder's commune: what a person types, resolved to one commune, or a choice, or a French error."""

import pytest

from tests.factories import EPINAL, make_group, make_meeting

pytestmark = pytest.mark.django_db

WANTZENAU = "67519"


@pytest.mark.parametrize(
    "text, insee",
    [
        ("wantzenau", WANTZENAU),
        ("La Wantzenau", WANTZENAU),
        ("LA WANTZENAU", WANTZENAU),
        ("67610", WANTZENAU),
        ("67519", WANTZENAU),
        ("la-wantzenau", WANTZENAU),
        ("epinal", EPINAL),
        ("Épinal", EPINAL),
        ("EPINAL", EPINAL),
    ],
)
def test_commune_accepts_names_without_article_or_accents_and_codes(client, text, insee):
    meeting = make_meeting(group=make_group(insee=insee))
    response = client.get("/reunions/", {"commune": text, "rayon": 5})
    assert response.context["commune"].pk == insee
    assert meeting.pk in {m.pk for m in response.context["page"].object_list}


def test_an_ambiguous_commune_offers_the_choices(client):
    response = client.get("/reunions/?commune=88000")
    assert response.status_code == 200
    choices = response.context["search"].commune_choices
    assert len(choices) > 1 and choices[0].pk == EPINAL  # the most populous first
    html = response.content.decode()
    assert "précisez laquelle" in html and "commune=%C3%89pinal+%2888000%29" in html
    # The choice link resolves to that commune alone.
    assert client.get("/reunions/?commune=%C3%89pinal+%2888000%29").context["commune"].pk == EPINAL


@pytest.mark.parametrize(
    "typed, first",
    [
        ("54100", "Nancy"),
        ("51100", "Reims"),
        ("67100", "Strasbourg"),
        ("57100", "Thionville"),
        ("88160", "Le Thillot"),
    ],
)
def test_a_postal_code_that_is_also_an_insee_code_offers_both_postal_first(client, typed, first):
    response = client.get("/reunions/", {"commune": typed})
    choices = response.context["search"].commune_choices
    assert choices[0].name == first and typed in choices[0].postal_codes.split()
    assert any(c.pk == typed for c in choices)  # the commune whose INSEE code it is, offered last


def test_an_exact_small_village_does_not_hide_the_city_people_mean(client):
    choices = client.get("/reunions/?commune=Charleville").context["search"].commune_choices
    assert [c.name for c in choices] == ["Charleville-Mézières", "Charleville"]


@pytest.mark.parametrize("typed", ["St-Dié", "st die", "ST DIE DES VOSGES", "Saint-Dié"])
def test_saint_may_be_abbreviated(client, typed):
    assert client.get("/reunions/", {"commune": typed}).context["commune"].name == "Saint-Dié-des-Vosges"


@pytest.mark.parametrize("typed", ["Épinal (88000)", "epinal 88000", "88000 Épinal"])
def test_a_name_with_its_postal_code_is_unambiguous(client, typed):
    assert client.get("/reunions/", {"commune": typed}).context["commune"].pk == EPINAL


def test_a_name_shared_by_several_communes_offers_the_choices(client):
    response = client.get("/reunions/?commune=attigny")  # one in the Ardennes, one in the Vosges
    assert response.status_code == 200
    assert {c.department_id for c in response.context["search"].commune_choices} == {"08", "88"}


def test_an_unknown_commune_is_a_clear_error(client):
    response = client.get("/reunions/?commune=paris")
    assert response.status_code == 400
    assert "Commune inconnue (Grand Est)" in response.content.decode()
