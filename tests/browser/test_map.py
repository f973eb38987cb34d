"""End to end in a real headless Chromium: the map is drawn by JavaScript over the server's list.

The site is served as in production (see conftest.py): what the map loads must exist under
hashed static file names, with the Content Security Policy in force.
"""

import re
import urllib.request

import pytest

from .serving import FINDER, SIZES

pytestmark = pytest.mark.browser


def rendered(browser, url, **size):
    """The DOM after scripts ran, and the page's report (failed requests, console errors)."""
    page, report = browser.open(url, **(size or SIZES["desktop"]))
    dom = page.evaluate("document.documentElement.outerHTML")
    page.close()
    return dom, report


def test_the_map_shows_one_marker_per_place_of_the_results(site, browser):
    html = urllib.request.urlopen(site + FINDER).read().decode()
    places = len(re.findall(r'"lat":', html.split('id="carte-marqueurs"')[1].split("</script>")[0]))
    assert places > 0 and re.search(r'<div id="carte" class="map" hidden ', html)  # sent hidden

    dom, _ = rendered(browser, site + FINDER)
    carte = re.search(r'<div id="carte"[^>]*>', dom).group(0)
    assert "leaflet-container" in carte and "hidden" not in carte
    assert dom.count('class="leaflet-marker-icon') == places
    # The list holds the same links: markers stay out of the keyboard's way.
    assert not re.search(r'<img[^>]*leaflet-marker-icon[^>]*tabindex="0"', dom)
    assert dom.count('class="meeting"') == html.count('class="meeting"')  # the list is untouched


def test_the_map_is_a_named_region(site):
    html = urllib.request.urlopen(site + FINDER).read().decode()
    carte = re.search(r'<div id="carte"[^>]*>', html).group(0)
    assert 'role="region"' in carte and 'aria-label="Carte des réunions trouvées"' in carte


def test_leaflet_is_served_by_the_site_itself(site):
    html = urllib.request.urlopen(site + "/reunions/?departement=67").read().decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert urllib.request.urlopen(site + scripts[0]).status == 200


def test_a_phone_sized_screenshot_of_the_finder(site, browser):
    page, report = browser.open(site + FINDER, width=390, height=1600, mobile=True)
    shot = page.screenshot()
    page.close()
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    assert report.problems == []


def test_the_map_draws_the_departements_outlines(site, browser):
    dom, _ = rendered(browser, site + "/reunions/?departement=57")
    # Leaflet draws each département's outline as one SVG path in the overlay pane.
    overlay = dom.split("leaflet-overlay-pane")[1].split("leaflet-shadow-pane")[0]
    assert overlay.count("<path") == 10


def test_the_content_security_policy_blocks_nothing_the_finder_needs(site, browser):
    dom, report = rendered(browser, site + "/reunions/?commune=strasbourg&rayon=30")
    assert "leaflet-marker-icon" in dom
    # A blocked script, style or image is both a failed request and a console error.
    assert report.problems == []
    header = urllib.request.urlopen(site + "/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in header and "unsafe-inline" not in header
