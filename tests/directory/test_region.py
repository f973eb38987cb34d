"""Another region, or all of France: the reference data of France from the same generator, and every page on it."""

import json
import lzma
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import Meeting
from tests.factories import make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BREST, MARSEILLE, LILLE = "29019", "13055", "59350"
SLICE_DEPARTMENTS = {"13", "22", "29", "35", "56", "59"}
WANTED = {("directory.commune", code) for code in SLICE_DEPARTMENTS} | {
    ("directory.region", code) for code in ["53", "93", "32"]
}


def france():
    with lzma.open(FIXTURES / "territories-france.json.xz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def other_regions(tmp_path):
    """Bretagne, the Bouches-du-Rhône and the Nord, taken from the France fixture and loaded."""
    objects = []
    for obj in france():
        fields = obj["fields"]
        if obj["model"] == "directory.department" and obj["pk"] in SLICE_DEPARTMENTS:
            fields["neighbours"] = [code for code in fields["neighbours"] if code in SLICE_DEPARTMENTS]
            objects.append(obj)
        elif (obj["model"], fields.get("department", obj["pk"])) in WANTED:
            objects.append(obj)
    path = tmp_path / "slice.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)


def test_the_france_fixture_holds_metropolitan_france_and_grand_est_as_its_own_fixture():
    objects = france()
    communes = {o["pk"]: o for o in objects if o["model"] == "directory.commune"}
    departments = {o["pk"]: o["fields"] for o in objects if o["model"] == "directory.department"}
    assert len(communes) > 34_700 and len(departments) == 96
    assert {o["pk"] for o in objects if o["model"] == "directory.region"} >= {"11", "44", "53", "93", "94"}
    grand_est = json.loads((FIXTURES / "territories.json").read_text(encoding="utf-8"))
    for obj in grand_est:
        if obj["model"] == "directory.commune":
            assert communes[obj["pk"]] == obj  # one generator, one source: the same rows


def test_neighbours_are_computed_from_shared_borders():
    departments = {o["pk"]: o["fields"] for o in france() if o["model"] == "directory.department"}
    assert departments["29"]["neighbours"] == ["22", "56"]
    assert departments["2A"]["neighbours"] == ["2B"]
    assert departments["57"]["neighbours"] == ["54", "67"]  # Luxembourg and Germany are not départements
    pairs = [(code, other) for code, fields in departments.items() for other in fields["neighbours"]]
    assert all(code in departments[other]["neighbours"] for code, other in pairs)


@pytest.mark.parametrize(("insee", "name"), [(BREST, "brest"), (MARSEILLE, "marseille"), (LILLE, "lille")])
def test_the_finder_answers_for_a_commune_of_another_region(client, other_regions, insee, name):
    meeting = make_meeting(group=make_group(insee=insee), venue=make_venue(insee))
    response = client.get(f"/reunions/?commune={name}&rayon=10")
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"]] == [meeting.pk]


def test_pages_filters_and_exports_work_unchanged_for_another_region(client, other_regions, settings):
    settings.REGION = "53"
    meeting = make_meeting(group=make_group(insee=BREST, name="Vie Libre Brest"), venue=make_venue(BREST))
    assert "Vie Libre Brest" in client.get("/territoires/29-finistere/").content.decode()
    assert meeting.get_absolute_url() in client.get("/communes/29019-brest/").content.decode()
    assert "Finistère (29)" in client.get("/mouvements/vie-libre/").content.decode()
    assert client.get("/reunions/?departement=29").context["page"].paginator.count == 1
    csv = b"".join(client.get("/reunions/export.csv?departement=29").streaming_content).decode("utf-8-sig")
    assert meeting.get_absolute_url() in csv
    feed = json.loads(b"".join(client.get("/donnees/meeting-guide.json").streaming_content))
    assert [item["entity_location"] for item in feed] == ["Bretagne, France"]
    # An empty search offers the neighbouring départements, from the data.
    empty = client.get("/reunions/?departement=29&jour=dimanche&type=permanence")
    assert [d.code for d in empty.context["search"].neighbours] == ["22", "56"]
    unknown = client.get("/reunions/?commune=nullepart").content.decode()
    assert "Commune inconnue (Bretagne)" in unknown


def test_all_of_france_is_one_setting(client, settings):
    settings.REGION = "all"
    assert "Commune inconnue (France)" in client.get("/reunions/?commune=nullepart").content.decode()
    assert Meeting.objects.count() == 0
