"""/sitemap.xml is an index of section files of at most 50,000 URLs (the protocol's limit)."""

import xml.etree.ElementTree as ET

import pytest

from directory import sitemaps
from tests.factories import METZ, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://localhost:8000"


def locations(client, url, path):
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    return [loc.text for loc in ET.fromstring(response.content).findall(path, NS)]


def every_url(client):
    files = locations(client, "/sitemap.xml", "s:sitemap/s:loc")
    return files, [url for file in files for url in locations(client, file, "s:url/s:loc")]


def test_the_index_lists_each_section_and_the_sections_list_fiches_territories_and_meetings(client):
    meeting = make_meeting(group=make_group(insee=METZ), venue=make_venue(METZ))
    draft = make_meeting(published=False)
    files, urls = every_url(client)
    assert files == [
        f"{SITE}/sitemap-{section}.xml" for section in ["mouvements", "territoires", "communes", "reunions"]
    ]
    assert f"{SITE}/mouvements/vie-libre/" in urls
    assert f"{SITE}/territoires/57-moselle/" in urls
    assert f"{SITE}/communes/57463-metz/" in urls
    assert f"{SITE}/communes/54395-nancy/" not in urls  # only a draft there
    assert f"{SITE}/reunions/{meeting.pk}/" in urls
    assert f"{SITE}/reunions/{draft.pk}/" not in urls
    assert len(urls) == len(set(urls))


def test_a_long_section_is_split_into_pages_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(sitemaps.MeetingSitemap, "limit", 2)
    meetings = [make_meeting() for _ in range(5)]
    files, urls = every_url(client)
    assert [f for f in files if "reunions" in f] == [
        f"{SITE}/sitemap-reunions.xml",
        f"{SITE}/sitemap-reunions.xml?p=2",
        f"{SITE}/sitemap-reunions.xml?p=3",
    ]
    assert [u for u in urls if "/reunions/" in u] == [f"{SITE}/reunions/{m.pk}/" for m in meetings]


def test_files_stay_within_the_protocols_limit(client):
    assert all(sitemap.limit <= 50_000 for sitemap in sitemaps.SITEMAPS.values())


def test_a_page_or_section_that_does_not_exist_is_not_found(client):
    make_meeting()
    assert client.get("/sitemap-reunions.xml?p=9").status_code == 404
    assert client.get("/sitemap-reunions.xml?p=abc").status_code == 404
    assert client.get("/sitemap-inconnu.xml").status_code == 404
