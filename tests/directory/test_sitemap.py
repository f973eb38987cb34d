"""/sitemap.xml is an index of section files of at most 50,000 URLs (the protocol's limit),
each page listed in French, German and English with its hreflang alternates."""

import re
import xml.etree.ElementTree as ET

import pytest

from directory import sitemaps
from tests.factories import METZ, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
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
    # 5 meetings in 3 languages, 4 entries a file: a file may end between two versions of a meeting.
    monkeypatch.setattr(sitemaps.MeetingSitemap, "limit", 4)
    meetings = [make_meeting() for _ in range(5)]
    files, urls = every_url(client)
    assert [f for f in files if "reunions" in f] == [
        f"{SITE}/sitemap-reunions.xml",
        f"{SITE}/sitemap-reunions.xml?p=2",
        f"{SITE}/sitemap-reunions.xml?p=3",
        f"{SITE}/sitemap-reunions.xml?p=4",
    ]
    assert [u for u in urls if "/reunions/" in u] == [
        f"{SITE}{prefix}/reunions/{m.pk}/" for m in meetings for prefix in ["", "/de", "/en"]
    ]


def test_files_stay_within_the_protocols_limit(client):
    assert all(sitemap.limit <= 50_000 for sitemap in sitemaps.SITEMAPS.values())


def test_a_page_or_section_that_does_not_exist_is_not_found(client):
    make_meeting()
    assert client.get("/sitemap-reunions.xml?p=9").status_code == 404
    assert client.get("/sitemap-reunions.xml?p=abc").status_code == 404
    assert client.get("/sitemap-inconnu.xml").status_code == 404


def entries(client):
    """{loc: {hreflang: href}} of every entry of every section file."""
    found = {}
    for file in locations(client, "/sitemap.xml", "s:sitemap/s:loc"):
        tree = ET.fromstring(client.get(file.removeprefix(SITE)).content)
        for url in tree.findall("s:url", NS):
            links = url.findall("x:link", NS)
            found[url.find("s:loc", NS).text] = {link.get("hreflang"): link.get("href") for link in links}
    return found


def test_every_page_is_listed_in_each_language_with_reciprocal_alternates(client):
    meeting = make_meeting(group=make_group(insee=METZ), venue=make_venue(METZ))
    found = entries(client)
    fiche = {
        "fr": f"{SITE}/mouvements/vie-libre/",
        "de": f"{SITE}/de/mouvements/vie-libre/",
        "en": f"{SITE}/en/mouvements/vie-libre/",
        "x-default": f"{SITE}/mouvements/vie-libre/",
    }
    assert found[f"{SITE}/de/mouvements/vie-libre/"] == fiche
    assert found[f"{SITE}/en/reunions/{meeting.pk}/"]["de"] == f"{SITE}/de/reunions/{meeting.pk}/"
    for loc, alternates in found.items():
        assert set(alternates) == {"fr", "de", "en", "x-default"}, loc
        assert alternates["x-default"] == alternates["fr"]
        assert loc in alternates.values()
        # Reciprocal: each version is listed, and names the same versions.
        for language in ("fr", "de", "en"):
            assert found[alternates[language]] == alternates, (loc, language)


def test_the_sitemap_and_the_page_name_the_same_versions(client):
    meeting = make_meeting(group=make_group(insee=METZ), venue=make_venue(METZ))
    found = entries(client)
    for loc in [
        f"{SITE}/en/reunions/{meeting.pk}/",
        f"{SITE}/de/communes/57463-metz/",
        f"{SITE}/territoires/57-moselle/",
    ]:
        html = client.get(loc.removeprefix(SITE)).content.decode()
        page = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        assert page == found[loc], loc
