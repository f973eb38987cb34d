from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from data_inclusion.schema.v1 import Service, Structure, Thematique

from directory.models import Meeting
from tests.directory.export_helpers import json_body
from tests.factories import EPINAL, METZ, make_group, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False):
        yield


@pytest.fixture
def meetings():
    metz = make_group("alcooliques-anonymes", insee=METZ, phone="03 87 00 00 00", email="metz@example.org")
    return [
        make_meeting(group=metz, audience="concernes", languages="fr de"),
        make_meeting(group=make_group("al-anon-alateen", insee=EPINAL), audience="entourage", interval=2),
        make_meeting(frequency="monthly", positions="1,-1", weekday=Meeting.Weekday.FRIDAY, notes="Sonner"),
        make_meeting(modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/x", phone="0383000000"),
        make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2027, 1, 5)),
    ]


def validate(model, record):
    assert set(record) <= set(model.model_fields), set(record) - set(model.model_fields)
    # Strict: warnings of the schema (e.g. a name ending with a full stop) count as errors too.
    return model.model_validate(record, context={"ignore_warnings": False})


def test_every_structure_and_service_is_valid_against_the_schema_package(client, meetings):
    structures = json_body(client.get("/donnees/data-inclusion/structures.json"))
    services = json_body(client.get("/donnees/data-inclusion/services.json"))
    assert len(services) == len(meetings)
    structure_ids = {validate(Structure, record).id for record in structures}
    for record in services:
        service = validate(Service, record)
        assert service.structure_id in structure_ids
        assert service.thematiques == {Thematique.SANTE__ADDICTIONS}
        assert service.source == "entraide-grand-est"


def test_service_values(client, meetings):
    services = {s["id"]: s for s in json_body(client.get("/donnees/data-inclusion/services.json"))}
    al_anon = services[f"entraide-grand-est--reunion-{meetings[1].pk}"]
    assert al_anon["publics"] == ["familles"] and "horaires_accueil" not in al_anon  # every other week
    assert "un mardi sur deux" in al_anon["description"]
    monthly = services[f"entraide-grand-est--reunion-{meetings[2].pk}"]
    assert monthly["horaires_accueil"] == "Fr[1,-1] 20:00-22:00"
    online = services[f"entraide-grand-est--reunion-{meetings[3].pk}"]
    assert online["modes_accueil"] == ["a-distance"] and online["telephone"] == "+33383000000"
    assert len(online["zone_eligibilite"]) == 10
    weekly = services[f"entraide-grand-est--reunion-{meetings[0].pk}"]
    assert weekly["horaires_accueil"] == "Tu 20:00-22:00" and weekly["zone_eligibilite"] == ["57"]
    assert "publics" not in weekly and weekly["publics_precisions"].startswith("Personnes concernées")


def test_drafts_and_demo_groups_are_not_structures(client, meetings):
    draft = make_group(published=False)
    demo = make_group(is_demo=True)
    ids = {s["id"] for s in json_body(client.get("/donnees/data-inclusion/structures.json"))}
    assert f"entraide-grand-est--groupe-{draft.pk}" not in ids
    assert f"entraide-grand-est--groupe-{demo.pk}" not in ids
    assert f"entraide-grand-est--groupe-{meetings[0].group_id}" in ids
