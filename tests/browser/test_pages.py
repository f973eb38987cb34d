"""Every public page type, served as in production, at phone and desktop sizes: nothing fails to load.

A request answered 4xx/5xx, a request the browser blocked (Content Security Policy included)
or a console error is a defect that the Django test client cannot see: it lives in the
templates' asset URLs, the hashed static files and what the scripts load by themselves.
"""

import re
import urllib.parse
import urllib.request

import pytest

from .serving import FINDER, SIZES

pytestmark = pytest.mark.browser

HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def html_of(url):
    return urllib.request.urlopen(url).read().decode()


# Each public page type: a fixed path, or the first link matching a pattern on an earlier page type,
# so that the demo data's identifiers are found by following the site's own links.
PAGE_TYPES = {
    "accueil": "/",
    "mouvements": "/mouvements/",
    "fiche-mouvement": ("mouvements", r"/mouvements/[-a-z0-9]+/"),
    "recherche-avec-resultats": FINDER,
    "reunion": ("recherche-avec-resultats", r"/reunions/\d+/"),
    "groupe": ("reunion", r"/groupes/\d+/"),
    "departements": "/territoires/",
    "departement": ("departements", r"/territoires/[0-9AB]{2}-[-a-z0-9]+/"),
    "commune": ("departement", r"/communes/[0-9AB]{2}\d{3}-[-a-z0-9]+/"),
    "donnees-ouvertes": "/donnees/",
    "charte": "/charte/",
    "signalement": ("reunion", r"/reunions/\d+/signaler/"),
}


@pytest.fixture(scope="session")
def public_pages(site):
    pages = {}
    for page_type, how in PAGE_TYPES.items():
        if isinstance(how, str):
            pages[page_type] = how
            continue
        source, pattern = how
        links = re.findall(rf'href="({pattern})"', html_of(site + pages[source]))
        assert links, f"{page_type} : aucun lien {pattern} sur {pages[source]}"
        pages[page_type] = links[0]
    return pages


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_a_public_page_loads_without_a_failed_request_or_console_error(site, browser, public_pages, page_type, size):
    page, report = browser.open(site + public_pages[page_type], **SIZES[size])
    page.close()
    assert report.responses[0] == (200, site + public_pages[page_type])
    assert report.problems == []
    # Served by whitenoise from the manifest: the production path, not Django's development one.
    static = [url for status, url in report.responses if "/static/" in url]
    assert static and all(HASHED.search(urllib.parse.urlsplit(url).path) for url in static), static


@pytest.mark.parametrize("size", SIZES)
def test_the_finders_markers_are_images_that_loaded(site, browser, size):
    page, report = browser.open(site + FINDER, **SIZES[size])
    images = page.evaluate(
        "Array.from(document.querySelectorAll('#carte img.leaflet-marker-icon, #carte img.leaflet-marker-shadow'))"
        ".map(img => ({cls: img.className, src: img.getAttribute('src'), width: img.naturalWidth}))"
    )
    page.close()
    assert report.problems == []
    icons = [image for image in images if "leaflet-marker-icon" in image["cls"]]
    shadows = [image for image in images if "leaflet-marker-shadow" in image["cls"]]
    html = html_of(site + FINDER)
    places = len(re.findall(r'"lat":', html.split('id="carte-marqueurs"')[1].split("</script>")[0]))
    assert places and len(icons) == len(shadows) == places
    assert all(image["width"] > 0 and image["src"].startswith("/static/") for image in images), images
    # The phone's high-density screen gets the 2x icon, the desktop the plain one.
    expected = "marker-icon-2x." if SIZES[size]["scale"] > 1 else "marker-icon."
    assert all(expected in image["src"] for image in icons), icons


def test_every_url_in_the_served_stylesheets_resolves(site):
    # Leaflet's layer-switcher sprites are in its stylesheet but no page shows that control yet.
    stylesheets = set()
    for path in ("/", FINDER):
        stylesheets.update(re.findall(r'<link rel="stylesheet" href="([^"]+)"', html_of(site + path)))
    assert any("leaflet" in sheet for sheet in stylesheets), stylesheets
    checked = []
    for sheet in stylesheets:
        css_url = site + sheet
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", html_of(css_url)):
            if ref.startswith(("data:", "#")):
                continue
            asset = urllib.parse.urljoin(css_url, ref)
            assert urllib.request.urlopen(asset).status == 200, asset
            checked.append(asset)
    assert any("layers" in asset for asset in checked), checked


def test_the_watcher_reports_a_missing_page_and_a_console_error(site, browser):
    # The other tests assert that nothing is reported: this one shows that something would be.
    page, report = browser.open(site + "/reunions/marker-icon.png", **SIZES["desktop"])
    page.close()
    assert (404, site + "/reunions/marker-icon.png") in report.failed_requests
    page, report = browser.open("data:text/html,<script>console.error('boom')</script>", **SIZES["desktop"])
    page.close()
    assert any("boom" in error for error in report.console_errors), report.console_errors
