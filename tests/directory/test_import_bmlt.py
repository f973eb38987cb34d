"""BMLT GetSearchResults import, end to end through the command, the finder and the exports."""

import csv
import io
import json
from datetime import time

import pytest
from django.core.management import CommandError, call_command

from directory.models import ImportedRecord, Meeting, Source
from tests.directory.import_samples import HERE, sample

pytestmark = pytest.mark.django_db
SAMPLE = HERE / "bmlt.json"


def import_file(path, *args, movement="narcotiques-anonymes"):
    out = io.StringIO()
    call_command("import_meetings", "--format", "bmlt", "--movement", movement, *args, str(path), stdout=out)
    return out.getvalue()


def na_meetings():
    return Meeting.objects.filter(group__movement__slug="narcotiques-anonymes")


def test_it_imports_every_meeting_of_the_sample(client):
    output = import_file(SAMPLE)

    assert na_meetings().count() == 60
    assert "60 réunion(s) créée(s)" in output
    assert set(ImportedRecord.objects.values_list("external_id", flat=True)) == {str(1000 + n) for n in range(60)}
    page = client.get("/reunions/", {"mouvement": "narcotiques-anonymes", "commune": "Metz"})
    assert "NA Espoir Metz" in page.content.decode()
    export = client.get("/reunions/export.csv", {"mouvement": "narcotiques-anonymes"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 60


def test_it_maps_days_times_formats_and_places():
    import_file(SAMPLE)
    # id 1000: weekday_tinyint 2 (Monday), 18:30 for 1h30, formats O,BT,WC,FR, in Strasbourg.
    meeting = ImportedRecord.objects.get(external_id="1000").meeting
    assert meeting.weekday == Meeting.Weekday.MONDAY
    assert (meeting.start_time, meeting.end_time) == (time(18, 30), time(20, 0))
    assert meeting.audience == "tous"
    assert meeting.venue.wheelchair_accessible is True
    assert meeting.venue.commune_id == "67482"
    assert meeting.venue.latitude == pytest.approx(48.57358)
    assert "Texte de base" in meeting.notes
    assert "Entrée par la cour." in meeting.notes
    assert meeting.published and meeting.group.published and not meeting.is_demo
    # id 1001: closed meeting; id 1004: hybrid with a video link; id 1027 (Colmar, third name): German.
    assert ImportedRecord.objects.get(external_id="1001").meeting.audience == "concernes"
    hybrid = ImportedRecord.objects.get(external_id="1004").meeting
    assert hybrid.modality == Meeting.Modality.HYBRID
    assert hybrid.video_url == "https://meet.jit.si/na-4"
    assert ImportedRecord.objects.get(external_id="1027").meeting.languages == "de"


def test_sunday_is_weekday_one(tmp_path):
    rows = json.loads(sample("bmlt.json"))[:1]
    rows[0]["weekday_tinyint"] = "1"
    path = tmp_path / "sunday.json"
    path.write_text(json.dumps(rows))

    import_file(path)

    assert ImportedRecord.objects.get(external_id="1000").meeting.weekday == Meeting.Weekday.SUNDAY


def test_the_dry_run_prints_the_difference_and_writes_nothing():
    output = import_file(SAMPLE, "--dry-run")

    assert "créée : 1000 – NA Espoir Strasbourg" in output
    assert "Simulation" in output
    assert not na_meetings().exists()
    assert not Source.objects.exists()


def test_a_service_body_filter_keeps_only_its_meetings():
    import_file(SAMPLE, "--filter", "99")

    assert na_meetings().count() == 5


def test_importing_the_same_file_twice_changes_nothing():
    import_file(SAMPLE)
    versions = Meeting.revisions.count()

    output = import_file(SAMPLE)

    assert "0 réunion(s) créée(s), 0 modifiée(s), 60 inchangée(s)" in output
    assert Meeting.revisions.count() == versions
    assert na_meetings().count() == 60


def test_history_names_the_source():
    import_file(SAMPLE)

    meeting = ImportedRecord.objects.get(external_id="1000").meeting
    assert meeting.revisions.get().history_change_reason.startswith("Source : bmlt.json")


def test_bad_records_are_listed_and_the_others_import(tmp_path):
    rows = json.loads(sample("bmlt.json"))[:6]
    rows[0]["start_time"] = "25:99:00"
    rows[1]["location_municipality"], rows[1]["location_postal_code_1"] = "Atlantis", "99999"
    rows[2]["weekday_tinyint"] = 9
    rows[3]["formats"] = "O,ZZZ"
    rows[4] = "pas une réunion"
    rows.append({"id_bigint": "2000"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows))

    output = import_file(path)

    assert "rejetée : 1000 : Heure de début invalide : « 25:99:00 »" in output
    assert "rejetée : 1001 : Commune introuvable en Grand Est" in output
    assert "rejetée : 1002 : Jour invalide" in output
    assert "rejetée : #5 : Chaque réunion doit être un objet JSON." in output
    assert "rejetée : 2000 : « meeting_name » manquant." in output
    assert "avertissement : 1003 : Formats inconnus gardés dans les notes : ZZZ." in output
    assert set(ImportedRecord.objects.values_list("external_id", flat=True)) == {"1003", "1005"}
    assert "ZZZ" in ImportedRecord.objects.get(external_id="1003").meeting.notes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<html>pas du JSON</html>", "Ce n'est pas du JSON lisible"),
        ('{"meetings": 3}', "une liste de réunions"),
        (json.dumps([{"id_bigint": str(n)} for n in range(50_000)]), "50000 réunions : plus que les 5000"),
    ],
)
def test_an_unreadable_payload_imports_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        import_file(path)
    assert not na_meetings().exists()


def test_coordinates_far_from_the_commune_give_way_to_the_communes(tmp_path):
    rows = json.loads(sample("bmlt.json"))[:1]
    rows[0]["latitude"], rows[0]["longitude"] = "48.8566", "2.3522"  # Paris
    path = tmp_path / "paris.json"
    path.write_text(json.dumps(rows))

    import_file(path)

    venue = ImportedRecord.objects.get().meeting.venue
    assert (venue.latitude, venue.longitude) == (None, None)
