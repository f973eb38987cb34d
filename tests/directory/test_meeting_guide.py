import json
from datetime import date
from pathlib import Path

import pytest

from directory.models import Meeting
from tests.directory.export_helpers import json_body
from tests.factories import EPINAL, METZ, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db
TYPES = set(json.loads((Path(__file__).parent / "standards/meeting-guide/types.json").read_text()))


def feed(client, query=""):
    response = client.get("/donnees/meeting-guide.json" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return {item["slug"]: item for item in json_body(response)}


def test_every_item_has_the_required_fields_and_known_type_codes(client):
    make_meeting(languages="fr de", venue=make_venue(wheelchair_accessible=True))
    make_meeting(group=make_group("al-anon-alateen", insee=METZ), audience="entourage")
    make_meeting(modality=Meeting.Modality.ONLINE, video_url="https://visio.example.org/na", audience="concernes")
    make_meeting(frequency="monthly", positions="-1", weekday=Meeting.Weekday.SATURDAY)
    items = feed(client)
    assert len(items) == 4
    for slug, item in items.items():
        assert item["name"] and len(item["name"]) <= 255
        assert slug == item["slug"] and len(slug) <= 64 and slug.replace("-", "").isalnum()
        assert set(item["types"]) <= TYPES, item["types"]
        assert item["timezone"] == "Europe/Paris"
        assert item["url"].startswith("http://localhost:8000/reunions/")
        assert len(item["updated"]) == 19 and item["updated"][10] == " "
        assert item["country"] == "FR" and item["city"] and item["region"] and item["sub_region"]
        assert item["entity"]
        if "day" in item:
            assert item["day"] in range(7)
            assert len(item["time"]) == 5 and len(item["end_time"]) == 5


def test_weekly_meeting_day_is_counted_from_sunday(client):
    tuesday = make_meeting()
    sunday = make_meeting(weekday=Meeting.Weekday.SUNDAY, start_time="10:30", end_time="12:00")
    items = feed(client)
    assert items[f"reunion-{tuesday.pk}"]["day"] == 2
    assert (items[f"reunion-{sunday.pk}"]["day"], items[f"reunion-{sunday.pk}"]["time"]) == (0, "10:30")
    assert items[f"reunion-{sunday.pk}"]["end_time"] == "12:00"


def test_type_mapping(client):
    open_ = make_meeting(languages="fr de", venue=make_venue(wheelchair_accessible=True))
    closed = make_meeting(audience="concernes", type=Meeting.Type.INFORMATION)
    al_anon = make_meeting(group=make_group("al-anon-alateen", insee=EPINAL), audience="entourage")
    relatives = make_meeting(audience="entourage")
    items = feed(client)
    assert items[f"reunion-{open_.pk}"]["types"] == ["O", "D", "X", "FR", "DE"]
    assert items[f"reunion-{closed.pk}"]["types"] == ["C", "FR"]
    assert items[f"reunion-{al_anon.pk}"]["types"] == ["AL-AN", "D", "FR"]
    assert items[f"reunion-{relatives.pk}"]["types"] == ["D", "FR"]
    assert "entourage" in items[f"reunion-{relatives.pk}"]["notes"]


def test_monthly_and_fortnightly_meetings_are_never_presented_as_weekly(client):
    monthly = make_meeting(frequency="monthly", positions="1,3", weekday=Meeting.Weekday.THURSDAY)
    fortnightly = make_meeting(interval=2)
    items = feed(client)
    for meeting, rule in ((monthly, "1er et 3e jeudis du mois"), (fortnightly, "un mardi sur deux")):
        item = items[f"reunion-{meeting.pk}"]
        assert "day" not in item and "time" not in item and "end_time" not in item
        assert item["notes"].startswith(f"Réunion non hebdomadaire : {rule}, de 20:00 à 22:00.")


def test_address_coordinates_and_online_fields(client):
    venue = make_venue(METZ, latitude=49.1193, longitude=6.1757, access_notes="2e étage")
    in_person = make_meeting(group=make_group(insee=METZ), venue=venue)
    online = make_meeting(
        group=make_group(insee=EPINAL),
        modality=Meeting.Modality.ONLINE,
        video_url="https://visio.example.org/x",
        phone="+33383000000",
    )
    items = feed(client)
    item = items[f"reunion-{in_person.pk}"]
    assert (item["location"], item["address"], item["postal_code"]) == (venue.name, venue.address, "57000")
    assert (item["latitude"], item["longitude"], item["approximate"]) == (49.1193, 6.1757, "no")
    assert (item["region"], item["sub_region"]) == ("Moselle", "Metz")
    assert item["location_notes"] == "2e étage"
    item = items[f"reunion-{online.pk}"]
    assert item["conference_url"] == "https://visio.example.org/x" and item["conference_phone"] == "+33383000000"
    assert (item["approximate"], item["sub_region"]) == ("yes", "Épinal")
    assert "latitude" not in item


def test_suspended_meeting_is_tagged_temporarily_closed_with_its_return_date(client):
    meeting = make_meeting(
        status=Meeting.Status.SUSPENDED,
        suspended_until=date(2026, 9, 1),
        modality=Meeting.Modality.HYBRID,
        video_url="https://visio.example.org/s",
    )
    item = feed(client)[f"reunion-{meeting.pk}"]
    assert "TC" in item["types"] and "conference_url" not in item
    assert "reprise le 01/09/2026" in item["notes"]


def test_drafts_closed_demo_and_phone_permanences_are_left_out(client):
    shown = make_meeting()
    make_meeting(published=False)
    make_meeting(status=Meeting.Status.CLOSED)
    make_meeting(is_demo=True)
    make_meeting(type=Meeting.Type.PHONE, modality=Meeting.Modality.ONLINE, phone="0383000000")
    assert list(feed(client)) == [f"reunion-{shown.pk}"]


def test_feed_can_be_limited_to_a_movement(client):
    vie_libre = make_meeting()
    make_meeting(group=make_group("croix-bleue"))
    assert list(feed(client, "?mouvement=vie-libre")) == [f"reunion-{vie_libre.pk}"]
    response = client.get("/donnees/meeting-guide.json?mouvement=inconnu")
    assert response.status_code == 400 and "Mouvement" in response.content.decode()


def test_feed_is_advertised_in_every_page_head(client):
    html = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/json" title="Meetings Feed" '
        'href="http://localhost:8000/donnees/meeting-guide.json">' in html
    )


def test_every_al_anon_meeting_is_tagged_al_an_whatever_its_audience(client):
    group = make_group("al-anon-alateen", name="Al-Anon pour tous")
    make_meeting(group=group, audience="tous", name="Réunion ouverte Al-Anon", phone="03 99 00 12 34")
    feed = json.loads(b"".join(client.get("/donnees/meeting-guide.json").streaming_content))
    entry = next(item for item in feed if item["name"].startswith("Réunion ouverte Al-Anon"))
    assert "AL-AN" in entry["types"] and "O" in entry["types"]


def test_a_weekly_meeting_not_started_yet_is_not_listed_as_running(client, time_machine):
    time_machine.move_to("2026-12-01 10:00 +01:00")
    make_meeting(group=make_group(), name="Réunion à venir", starts_on=date(2027, 3, 5), weekday=4)
    feed = json.loads(b"".join(client.get("/donnees/meeting-guide.json").streaming_content))
    entry = next(item for item in feed if item["name"].startswith("Réunion à venir"))
    assert "day" not in entry and "time" not in entry
    assert entry["notes"].startswith("Nouvelle réunion à partir du 05/03/2027")
