import json
import re

import pytest

from directory.models import Meeting
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def jsonld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


def test_movement_fiche_has_ngo_jsonld_canonical_and_open_graph(client):
    html = client.get("/mouvements/croix-bleue/").content.decode()
    (data,) = jsonld(html)
    assert data["@type"] == "NGO" and data["name"] == "Croix-Bleue"
    assert data["url"] == "http://localhost:8000/mouvements/croix-bleue/"
    assert '<link rel="canonical" href="http://localhost:8000/mouvements/croix-bleue/">' in html
    assert '<meta property="og:title" content="Croix-Bleue">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert '<meta property="og:url" content="http://localhost:8000/mouvements/croix-bleue/">' in html


def test_meeting_page_has_event_jsonld_with_its_schedule(client):
    meeting = make_meeting(frequency="monthly", positions="1,3", weekday=Meeting.Weekday.THURSDAY)
    html = client.get(f"/reunions/{meeting.pk}/").content.decode()
    (data,) = jsonld(html)
    assert data["@type"] == "Event"
    schedule = data["eventSchedule"]
    assert schedule["byDay"] == "https://schema.org/Thursday"
    assert (schedule["repeatFrequency"], schedule["byMonthWeek"]) == ("P1M", [1, 3])
    assert (schedule["startTime"], schedule["endTime"]) == ("20:00", "22:00")
    assert schedule["scheduleTimezone"] == "Europe/Paris"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["address"]["addressLocality"] == "Nancy"
    assert f'href="/reunions/{meeting.pk}.ics"' in html


def test_hybrid_meeting_has_a_place_and_a_virtual_location(client):
    meeting = make_meeting(modality=Meeting.Modality.HYBRID, video_url="https://visio.example.org/h", interval=2)
    (data,) = jsonld(client.get(f"/reunions/{meeting.pk}/").content.decode())
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["eventSchedule"]["repeatFrequency"] == "P2W"


def test_demo_meeting_page_has_no_structured_data_nor_calendar_link(client):
    meeting = make_meeting(is_demo=True)
    html = client.get(f"/reunions/{meeting.pk}/").content.decode()
    assert jsonld(html) == [] and ".ics" not in html


def test_robots_txt_allows_all_without_naming_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "admin" not in text and "Sitemap: http://localhost:8000/sitemap.xml" in text


def test_open_data_page_links_every_export_and_states_licence_and_choices(client):
    response = client.get("/donnees/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Licence Ouverte 2.0" in html and "point-virgule" in html and "sans jour ni heure" in html
    links = set(re.findall(r'href="(/[^"]*)"', html))
    prefixes = ("/donnees/", "/reunions/export.csv", "/reunions/agenda.ics", "/sitemap")
    exports = [link for link in links if link.startswith(prefixes)]
    assert len(exports) >= 10
    for link in exports:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
