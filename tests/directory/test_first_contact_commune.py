"""A commune search that forgives: postal codes first, misspellings and missing hyphens, a position instead."""

import pytest

from tests.factories import EPINAL, NANCY, make_group, make_meeting

pytestmark = pytest.mark.django_db

REIMS = "51454"
STRASBOURG = "67482"


def resolved(client, typed):
    response = client.get("/reunions/", {"commune": typed})
    assert response.status_code == 200, response.content.decode()[:300]
    commune = response.context["commune"]
    return [commune.pk] if commune else [c.pk for c in response.context["search"].commune_choices]


def test_51100_is_reims_and_nothing_else(client):
    assert resolved(client, "51100") == [REIMS]


@pytest.mark.parametrize(
    "typed, insee",
    [
        ("Epinall", EPINAL),
        ("epinal88", EPINAL),
        ("strasbour", STRASBOURG),
        ("Strasbourgg", STRASBOURG),
        ("chalons en champagne", "51108"),
        ("Sarreguemine", "57631"),
        ("Nancyy", NANCY),
    ],
)
def test_a_misspelt_or_unhyphenated_name_finds_the_commune_first(client, typed, insee):
    assert resolved(client, typed)[0] == insee


def test_a_misspelt_name_finds_its_meetings(client):
    meeting = make_meeting(group=make_group(insee=EPINAL))
    response = client.get("/reunions/", {"commune": "Epinall", "rayon": 5})
    assert meeting.pk in {m.pk for m in response.context["page"].object_list}


def test_gibberish_is_still_a_clear_error(client):
    response = client.get("/reunions/", {"commune": "xqzwv"})
    assert response.status_code == 400
    assert "Commune inconnue (Grand Est)" in response.content.decode()


def test_a_position_rounded_to_two_decimals_is_used_instead_of_a_commune(client):
    here = make_meeting(group=make_group(insee=NANCY))
    make_meeting(group=make_group(insee=EPINAL))
    response = client.get("/reunions/", {"lat": "48.692054", "lon": "6.184417", "rayon": "10"})
    assert response.status_code == 302 and response["Location"] == "/reunions/?lat=48.69&lon=6.18&rayon=10"
    response = client.get(response["Location"])
    assert [m.pk for m in response.context["page"].object_list] == [here.pk]
    assert response.context["search"].position == (48.69, 6.18)
    html = response.content.decode()
    assert "à moins de 10 km de ma position" in html
    assert "48.692054" not in html  # the precise position is not even echoed back
    assert 'name="lat" value="48.69"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "40.4", "lon": "-3.7"},  # Madrid
        {"lat": "48.85", "lon": "12.5"},
        {"lat": "-48.69", "lon": "6.18"},
    ],
)
def test_a_position_outside_france_is_a_clear_french_message(client, params):
    response = client.get("/reunions/", params)
    assert response.status_code == 400
    assert "Cette position est hors de France" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lon": "6.18"},
        {"lat": "48.69"},
        {"lon": "6.18"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "1e999", "lon": "6"},
    ],
)
def test_a_bad_position_is_a_400_naming_the_field(client, params):
    response = client.get("/reunions/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "position" in html.lower() or "nombre" in html.lower()


def test_the_position_is_never_stored(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_meeting(group=make_group(insee=NANCY))
    client.get("/reunions/")  # next occurrences computed: the next request writes nothing
    with CaptureQueriesContext(connection) as queries:
        client.get("/reunions/", {"lat": "48.69", "lon": "6.18"})
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
