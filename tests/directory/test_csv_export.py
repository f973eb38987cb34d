from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.csv_format import PUBLIC_COLUMNS
from directory.models import Meeting
from tests.directory.export_helpers import body, csv_rows
from tests.factories import EPINAL, METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

# Copied from DOMAIN.md as written there.
DOMAIN_LINE = (
    "id, mouvement, groupe, type, public, jour, recurrence, heure_debut, heure_fin, modalite, lieu, adresse, "
    "code_postal, commune, code_insee, departement, latitude, longitude, distance_km, lien_visio, telephone, "
    "accessible_pmr, langues, verifie_le, url"
)
DOMAIN_COLUMNS = DOMAIN_LINE.split(", ")


@pytest.fixture
def meetings():
    """A small region: Nancy, Metz, Épinal, one online meeting, one Al-Anon, German, accessible…"""
    return {
        "nancy": make_meeting(verified_at=date(2026, 10, 1)),
        "nancy_friday_morning": make_meeting(
            weekday=Meeting.Weekday.FRIDAY,
            start_time="10:00",
            end_time="12:00",
            type=Meeting.Type.DROP_IN,
            venue=make_venue(NANCY, wheelchair_accessible=True),
        ),
        "metz_german": make_meeting(group=make_group(insee=METZ), languages="fr de", audience="concernes"),
        "epinal_monthly": make_meeting(
            group=make_group("al-anon-alateen", insee=EPINAL),
            audience="entourage",
            frequency="monthly",
            positions="1,3",
            weekday=Meeting.Weekday.THURSDAY,
        ),
        "online": make_meeting(
            modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/vl", phone="03 83 00 00 00"
        ),
        "draft": make_meeting(published=False),
        "closed": make_meeting(status=Meeting.Status.CLOSED),
    }


def get_rows(client, query=""):
    response = client.get("/reunions/export.csv" + query)
    assert response.status_code == 200, body(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return csv_rows(response)


def test_columns_are_exactly_those_of_the_domain_guide_in_order(client, meetings):
    response = client.get("/reunions/export.csv")
    header = body(response).decode("utf-8").splitlines()[0]
    assert [column.header for column in PUBLIC_COLUMNS] == DOMAIN_COLUMNS
    assert header == "\ufeff" + ";".join(DOMAIN_COLUMNS)


def test_unfiltered_export_lists_published_active_meetings_only(client, meetings):
    ids = {int(row["id"]) for row in get_rows(client)}
    expected = {m.pk for key, m in meetings.items() if key not in ("draft", "closed")}
    assert ids == expected


def test_row_values(client, meetings):
    rows = {int(row["id"]): row for row in get_rows(client)}
    nancy = rows[meetings["nancy"].pk]
    assert nancy["mouvement"] == "Vie Libre"
    assert (nancy["type"], nancy["public"], nancy["jour"]) == ("groupe-de-parole", "tous", "mardi")
    assert (nancy["heure_debut"], nancy["heure_fin"], nancy["modalite"]) == ("20:00", "22:00", "presentiel")
    assert (nancy["commune"], nancy["code_insee"], nancy["departement"]) == ("Nancy", NANCY, "54")
    assert nancy["recurrence"] == "chaque mardi"
    assert nancy["verifie_le"] == "2026-10-01"
    assert nancy["url"] == f"http://localhost:8000/reunions/{meetings['nancy'].pk}/"
    assert float(nancy["latitude"]) == pytest.approx(48.69, abs=0.05)
    monthly = rows[meetings["epinal_monthly"].pk]
    assert monthly["recurrence"] == "1er et 3e jeudis du mois"
    online = rows[meetings["online"].pk]
    assert online["lien_visio"] == "https://visio.example.org/vl" and online["lieu"] == ""
    assert rows[meetings["nancy_friday_morning"].pk]["accessible_pmr"] == "oui"


CHECKS = {
    "jour=vendredi": lambda r: r["jour"] == "vendredi",
    "jour=mardi&jour=jeudi": lambda r: r["jour"] in ("mardi", "jeudi"),
    "moment=matin": lambda r: r["heure_debut"] < "12:00",
    "moment=soir": lambda r: r["heure_debut"] >= "18:00",
    "public=entourage": lambda r: r["public"] in ("entourage", "tous"),
    "public=concernes": lambda r: r["public"] in ("concernes", "tous"),
    "type=permanence": lambda r: r["type"] == "permanence",
    "modalite=en-ligne": lambda r: r["modalite"] == "en-ligne",
    "accessible=1": lambda r: r["accessible_pmr"] == "oui",
    "langue=de": lambda r: "de" in r["langues"].split(),
    "mouvement=al-anon-alateen": lambda r: r["mouvement"] == "Al-Anon / Alateen",
    "q=metz": lambda r: "Metz" in r["commune"] or "Metz" in r["groupe"],
}


@pytest.mark.parametrize("query", list(CHECKS))
def test_each_row_satisfies_the_query(client, meetings, query):
    rows = get_rows(client, "?" + query)
    assert rows, f"the fixture has matches for {query}"
    assert all(CHECKS[query](row) for row in rows), rows


def test_departement_rows_come_first_then_online_meetings_with_empty_distance(client, meetings):
    rows = get_rows(client, "?departement=54")
    places = [r for r in rows if r["modalite"] != "en-ligne"]
    online = [r for r in rows if r["modalite"] == "en-ligne"]
    assert {r["departement"] for r in places} == {"54"}
    assert [int(r["id"]) for r in online] == [meetings["online"].pk]
    assert rows[-len(online) :] == online, "online meetings follow the territorial rows"


def test_commune_and_radius_give_distances_within_the_radius_nearest_first(client, meetings):
    rows = get_rows(client, "?commune=54000&rayon=10")
    places = [r for r in rows if r["modalite"] != "en-ligne"]
    distances = [float(r["distance_km"]) for r in places]
    assert distances and all(d <= 10 for d in distances)
    assert distances == sorted(distances)
    assert {r["commune"] for r in places} == {"Nancy"}  # Metz is 50 km away
    assert [r["distance_km"] for r in rows if r["modalite"] == "en-ligne"] == [""]


def test_an_empty_result_is_a_valid_file_with_its_header(client, meetings):
    assert get_rows(client, "?departement=08") == [] or all(
        r["modalite"] == "en-ligne" for r in get_rows(client, "?departement=08")
    )
    assert get_rows(client, "?departement=08&modalite=presentiel") == []


@pytest.mark.parametrize(
    "query",
    [
        "?jour=funday",
        "?departement=75",
        "?commune=Atlantis",
        "?rayon=abc&commune=nancy",
        "?rayon=NaN&commune=nancy",
        "?rayon=10",
        "?public=martiens",
        "?addiction=chocolat",
        "?mouvement=inconnu",
        "?q=" + "x" * 500,
        "?langue=xx",
        "?commune=saint",
        "?q=%00",
    ],
)
def test_bad_queries_answer_400_in_french_plain_text(client, query):
    response = client.get("/reunions/export.csv" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Requête invalide")
    assert "ETag" not in response


@pytest.mark.parametrize("query", ["?page=abc", "?inconnu=1", "?q=", "?commune=", "?q=%C3%A9%E2%82%AC"])
def test_harmless_queries_still_export(client, query):
    assert client.get("/reunions/export.csv" + query).status_code == 200


def _count_queries(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/reunions/export.csv" + query)
        body(response)
    return len(captured)


@pytest.mark.parametrize("query", ["", "?departement=54&departement=57", "?commune=nancy&rayon=30"])
def test_query_count_does_not_grow_with_the_number_of_rows(client, django_assert_max_num_queries, query):
    group = make_group()
    make_meeting(group=group)
    make_meeting(group=group, modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/a")
    few = _count_queries(client, query)
    for index in range(40):
        make_meeting(group=make_group(insee=[NANCY, METZ][index % 2]), weekday=index % 7)
        make_meeting(group=group, modality=Meeting.Modality.ONLINE, video_url=f"https://visio.example.org/{index}")
    with django_assert_max_num_queries(few):
        assert len(get_rows(client, query)) > 40


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(client):
    group = make_group(name='=HYPERLINK("http://evil.example","x")')
    venue = make_venue(name="@SUM(A1)", address="-cmd|' /C calc'!A0")
    make_meeting(
        group=group, venue=venue, modality="hybride", phone="+33 3 83 00 00 00", video_url="https://v.example"
    )
    response = client.get("/reunions/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="reunions.csv"'
    row = csv_rows(response)[0]
    assert row["groupe"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["lieu"] == "'@SUM(A1)" and row["adresse"] == "'-cmd|' /C calc'!A0"
    # Numbers keep their sign: phone numbers and coordinates are left as they are.
    assert row["telephone"] == "+33 3 83 00 00 00"


def test_the_open_data_page_says_formulas_are_neutralised(client):
    assert "apostrophe" in client.get("/donnees/").content.decode()
