"""axe-core on every public page type, in French, German and English: no violation (issue 13).

The pages are served as in production (gunicorn, DEBUG=0, demo data) and loaded in headless
Chromium at phone and desktop sizes with their scripts running, so the map and the script-built parts are
checked too. axe-core is a vendored test asset (tests/browser/vendor/axe-core, MPL-2.0) injected
over the DevTools protocol: the site never serves it. Every rule axe runs by default applies
(WCAG 2.x A and AA, and its best practices).
"""

import json
import re
import urllib.request

import pytest

from .serving import FINDER, ROOT, SIZES

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE = ROOT / "tests/browser/vendor/axe-core/axe.min.js"

# Each public page type: a fixed path, or the first link matching a pattern on an earlier page type,
# so that the demo data's identifiers are found by following the site's own links.
PAGE_TYPES = {
    "accueil": "/",
    "mouvements": "/mouvements/",
    "fiche-mouvement": ("mouvements", r"/mouvements/[-a-z0-9]+/"),
    "recherche": "/reunions/",
    "recherche-commune": FINDER,
    "recherche-sans-resultat": "/reunions/?q=xyzzy",
    "commune-ambigue": "/reunions/?commune=88000",
    "commune-inconnue": "/reunions/?commune=Atlantis",
    "reunion": ("recherche-commune", r"/reunions/\d+/"),
    "groupe": ("reunion", r"/groupes/\d+/"),
    "departements": "/territoires/",
    "departement": ("departements", r"/territoires/[0-9AB]{2}-[-a-z0-9]+/"),
    "commune": ("departement", r"/communes/[0-9AB]{2}\d{3}-[-a-z0-9]+/"),
    "charte": "/charte/",
    "engagements": "/charte/engagements/",
    "orientation": "/orientation/",
    "orientation-reponse": "/orientation/?pour=moi&addiction=alcool&commune=Reims",
    "donnees-ouvertes": "/donnees/",
    "signalement": ("reunion", r"/reunions/\d+/signaler/"),
    "impression": "/reunions/imprimer/?commune=Nancy&rayon=30",
    "affiche": "/territoires/54-meurthe-et-moselle/affiche/",
}
LANGUAGES = {"fr": "", "de": "/de", "en": "/en"}


@pytest.fixture(scope="session")
def public_pages(site):
    pages = {}
    for page_type, how in PAGE_TYPES.items():
        if isinstance(how, str):
            pages[page_type] = how
            continue
        source, pattern = how
        links = re.findall(rf'href="({pattern})"', urllib.request.urlopen(site + pages[source]).read().decode())
        assert links, f"{page_type} : aucun lien {pattern} sur {pages[source]}"
        pages[page_type] = links[0]
    return pages


def axe_violations(page):
    """axe.run() on the loaded page: [(rule, impact, help, [target of each node])]."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("axe.version") == AXE_VERSION
    answer = page.browser.send(
        "Runtime.evaluate",
        {"expression": "axe.run(document).then(r => JSON.stringify(r.violations))", "awaitPromise": True},
        session=page.session,
        timeout=60,
    )
    violations = json.loads(answer["result"]["value"])
    return [
        (v["id"], v["impact"], v["help"], [" ".join(map(str, node["target"])) for node in v["nodes"]])
        for v in violations
    ]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_violation(site, browser, public_pages, page_type, language, size):
    # Failed requests and console errors are test_pages.py's concern (an unknown commune is a 400 here).
    page, _ = browser.open(site + LANGUAGES[language] + public_pages[page_type], **SIZES[size])
    try:
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe_violations(page)
    finally:
        page.close()
    assert violations == []


def test_axe_sees_a_violation(site, browser):
    # The check can fail: the home page, its language attribute removed and an unnamed button added.
    page, _ = browser.open(site + "/", **SIZES["phone"])
    try:
        page.evaluate(
            "document.documentElement.removeAttribute('lang');"
            "document.querySelector('main').append(document.createElement('button'))"
        )
        rules = {rule for rule, *_ in axe_violations(page)}
    finally:
        page.close()
    assert {"html-has-lang", "button-name"} <= rules
