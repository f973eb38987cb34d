"""The map in German and English (issue 13): Leaflet's own labels come from the page, in its language."""

import re

import pytest

from .serving import FINDER, SIZES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "prefix, zoom_in, zoom_out, leaflet",
    [
        ("", "Zoomer", "Dézoomer", "Une bibliothèque JavaScript de cartes interactives"),
        ("/de", "Vergrößern", "Verkleinern", "Eine JavaScript-Bibliothek für interaktive Karten"),
        ("/en", "Zoom in", "Zoom out", "A JavaScript library for interactive maps"),
    ],
)
def test_the_map_controls_speak_the_page_language(site, browser, prefix, zoom_in, zoom_out, leaflet):
    page, report = browser.open(site + prefix + FINDER, **SIZES["desktop"])
    dom = page.evaluate("document.documentElement.outerHTML")
    page.close()
    assert re.search(rf'class="leaflet-control-zoom-in"[^>]*title="{zoom_in}"', dom)
    assert re.search(rf'class="leaflet-control-zoom-out"[^>]*title="{zoom_out}"', dom)
    assert f'title="{leaflet}"' in dom
    assert report.problems == []
