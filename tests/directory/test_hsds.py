import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.exports import stable_uuid
from directory.models import Meeting
from tests.directory.export_helpers import body
from tests.factories import METZ, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "hsds_schemas"
BASE = "https://openreferral.org/hsds/3.0/schema/"


def _registry():
    # The schemas have no $id and refer to each other by file name ("phone.json"):
    # register each under one base URI so that those relative $refs resolve offline.
    resources = []
    for path in SCHEMAS.glob("*.json"):
        resources.append((BASE + path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name):
    return Draft202012Validator(
        {"$ref": BASE + name}, registry=REGISTRY, format_checker=FormatChecker(formats=["uuid", "date", "email"])
    )


@pytest.fixture
def data():
    metz = make_group("alcooliques-anonymes", insee=METZ, phone="03 87 00 00 00", email="aa.metz@example.org")
    venue = make_venue(METZ, wheelchair_accessible=True, access_notes="Bus 5")
    return [
        make_meeting(group=metz, venue=venue, languages="fr de"),
        make_meeting(frequency="monthly", positions="1,3", weekday=Meeting.Weekday.THURSDAY),
        make_meeting(interval=2, status=Meeting.Status.SUSPENDED, suspended_until=date(2026, 9, 1)),
        make_meeting(modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/x", phone="0383000000"),
        make_meeting(published=False),
    ]


def page(client, resource, query=""):
    response = client.get(f"/donnees/hsds/{resource}{query}")
    assert response.status_code == 200, response.content
    return json.loads(body(response))


SCHEMA_OF = {
    "organizations": "organization.json",
    "services": "service.json",
    "locations": "location.json",
    "service_at_locations": "service_at_location.json",
}


@pytest.mark.parametrize("resource", list(SCHEMA_OF))
def test_every_record_validates_against_the_hsds_3_schema(client, data, resource):
    result = page(client, resource, "?per_page=500")
    check = validator(SCHEMA_OF[resource])
    assert result["contents"]
    for record in result["contents"]:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(record)]
        assert not errors, errors
        detail = client.get(f"/donnees/hsds/{resource}/{record['id']}")
        assert detail.status_code == 200 and json.loads(body(detail)) == record


def test_validator_rejects_a_broken_record():
    errors = list(validator("service.json").iter_errors({"id": "x", "name": "n", "status": "open"}))
    assert {e.validator for e in errors} >= {"enum", "format"}


def test_pagination_follows_hsda(client, data):
    first = page(client, "services", "?per_page=3")
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (4, 2, 1, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = page(client, "services", "?per_page=3&page=2")
    assert (second["size"], second["last_page"], second["first_page"]) == (1, True, False)
    beyond = page(client, "services", "?per_page=3&page=9")
    assert beyond["empty"] and beyond["contents"] == []
    assert {r["id"] for r in first["contents"] + second["contents"]} == {
        stable_uuid("meeting", m.pk) for m in data if m.published
    }
    for query in ("?page=0", "?page=abc", "?per_page=-1"):
        assert client.get("/donnees/hsds/services" + query).status_code == 400


def test_schedules_carry_the_recurrence_rule(client, data):
    services = {r["id"]: r for r in page(client, "services")["contents"]}
    weekly, monthly, fortnightly, online = (services[stable_uuid("meeting", m.pk)] for m in data[:4])
    assert (weekly["schedules"][0]["freq"], weekly["schedules"][0]["byday"]) == ("WEEKLY", "TU")
    assert weekly["schedules"][0]["opens_at"] == "20:00" and weekly["schedules"][0]["closes_at"] == "22:00"
    assert (monthly["schedules"][0]["freq"], monthly["schedules"][0]["byday"]) == ("MONTHLY", "1TH,3TH")
    assert fortnightly["schedules"][0]["interval"] == 2
    assert fortnightly["schedules"][0]["valid_from"] == "2026-09-01"
    assert fortnightly["status"] == "temporarily closed"
    assert {lang["code"] for lang in weekly["languages"]} == {"fr", "de"}
    assert weekly["service_areas"][0]["name"] == "Moselle (57)"
    assert online["service_at_locations"] == [] and online["phones"][0]["number"] == "+33383000000"


def test_ids_are_stable_uuids_and_unknown_ids_are_404(client, data):
    first = page(client, "locations")
    assert page(client, "locations") == first
    for record in first["contents"]:
        assert UUID(record["id"]).version == 5
    assert client.get("/donnees/hsds/services/not-a-uuid").status_code == 404
    assert client.get(f"/donnees/hsds/services/{stable_uuid('meeting', data[-1].pk)}").status_code == 404  # draft


def test_zip_holds_the_tabular_files(client, data):
    response = client.get("/donnees/hsds.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    names = set(archive.namelist())
    assert {"organizations.csv", "services.csv", "locations.csv", "schedules.csv", "service_at_location.csv"} <= names
    services = list(csv.DictReader(io.TextIOWrapper(archive.open("services.csv"), encoding="utf-8")))
    schedules = list(csv.DictReader(io.TextIOWrapper(archive.open("schedules.csv"), encoding="utf-8")))
    organizations = list(csv.DictReader(io.TextIOWrapper(archive.open("organizations.csv"), encoding="utf-8")))
    assert len(services) == 4 and len(schedules) == 4 and len(organizations) == 6
    assert {s["service_id"] for s in schedules} == {s["id"] for s in services}
    assert {s["organization_id"] for s in services} <= {o["id"] for o in organizations}


def test_every_known_language_is_named_in_french(client):
    meeting = make_meeting(languages="fr ar lb")
    service = page(client, "services")["contents"][0]
    assert service["id"] == stable_uuid("meeting", meeting.pk)
    assert [lang["name"] for lang in service["languages"]] == ["français", "arabe", "luxembourgeois"]


def test_a_schedule_starts_on_its_first_meeting_day_so_that_every_other_week_keeps_its_phase(client):
    # First date a Friday, meetings on Tuesdays every other week: 6 January, 20 January…
    # A DTSTART on the Friday would make RFC 5545 readers count from that week: 13 January, 27 January…
    meeting = make_meeting(interval=2, starts_on=date(2026, 1, 2))
    service = page(client, f"services/{stable_uuid('meeting', meeting.pk)}")
    (schedule,) = service["schedules"]
    assert (schedule["dtstart"], schedule["interval"], schedule["byday"]) == ("2026-01-06", 2, "TU")
    assert meeting.occurrences(date(2026, 1, 1), date(2026, 1, 31)) == [date(2026, 1, 6), date(2026, 1, 20)]
