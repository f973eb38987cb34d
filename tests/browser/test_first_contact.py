"""First contact in a real Chromium, phone-sized: answer and helplines on the first screen, no sideways scroll.

The orientation page is driven with JavaScript disabled: it must work as a plain form.
"""

import re
import time
import urllib.parse

import pytest

from .serving import SIZES
from .test_pages import PAGE_TYPES

pytestmark = pytest.mark.browser

PHONE = SIZES["phone"]
# Not emulated as mobile: a phone's browser would widen its layout viewport to hide an overflow.
NARROW = {"width": 320, "height": 640, "mobile": False, "scale": 1}


def top_of(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top")


def test_after_a_search_from_the_home_page_the_first_result_is_on_the_first_screen(site, browser):
    home, _ = browser.open(site + "/", **PHONE)
    # What the home page's form sends, filled as a person would: a commune and "pour vous".
    query = home.evaluate(
        "(() => { const form = document.querySelector('form.home-search');"
        " form.querySelector('[name=commune]').value = 'Nancy';"
        " form.querySelector('[name=public]').value = 'concernes';"
        " return form.getAttribute('action') + '?' + new URLSearchParams(new FormData(form)).toString(); })()"
    )
    home.close()
    assert query.startswith("/reunions/?commune=Nancy&public=concernes")
    page, report = browser.open(site + query, **PHONE)
    assert report.problems == []
    assert page.evaluate("document.querySelectorAll('#liste-resultats .meeting').length") > 0
    top = top_of(page, "#liste-resultats .meeting")
    height = page.evaluate("window.innerHeight")
    page.close()
    assert 0 < top < height - 60, (top, height)  # its first line, at least, is visible


def test_the_skip_link_of_an_answer_leads_to_the_results(site, browser):
    page, _ = browser.open(site + "/reunions/?commune=Nancy&public=concernes", **PHONE)
    target = page.evaluate("document.querySelector('.skip-link').getAttribute('href')")
    page.close()
    assert target == "#resultats"


def test_a_helpline_tel_link_is_a_large_target_on_the_home_pages_first_screen(site, browser):
    page, _ = browser.open(site + "/", **PHONE)
    links = page.evaluate(
        "Array.from(document.querySelectorAll('a[href^=\"tel:\"]')).map(a => {"
        " const r = a.getBoundingClientRect(); return {href: a.getAttribute('href'), top: r.top, height: r.height}; })"
    )
    height = page.evaluate("window.innerHeight")
    page.close()
    first_screen = [link for link in links if link["top"] >= 0 and link["top"] + link["height"] <= height]
    assert {"tel:15", "tel:112"} <= {link["href"] for link in first_screen}, links
    assert any(link["href"] == "tel:+33980980930" for link in first_screen), links
    assert all(link["height"] >= 44 for link in first_screen), first_screen


def test_the_orientation_flow_works_end_to_end_without_javascript(site, browser):
    browser_page, _ = browser.open(site + "/orientation/", **PHONE)
    browser_page.close()
    # The same journey with scripts off: the form's GET answer is the whole page.
    page, report = browser.open(site + "/orientation/", **PHONE, javascript=False)
    query = page.evaluate(
        "(() => { const form = document.querySelector('form.orientation');"
        " form.querySelector('[name=pour][value=proche]').checked = true;"
        " form.querySelector('[name=addiction][value=alcool]').checked = true;"
        " form.querySelector('[name=commune]').value = 'Reims';"
        " return new URLSearchParams(new FormData(form)).toString(); })()"
    )
    page.close()
    assert query == "pour=proche&addiction=alcool&commune=Reims"
    page, report = browser.open(site + "/orientation/?" + query, **PHONE, javascript=False)
    html = page.evaluate("document.documentElement.outerHTML")
    page.close()
    assert report.problems == []
    assert "al-anon-alateen" in html and "Votre première réunion" in html
    assert not re.search(r'href="/mouvements/narcotiques-anonymes/"', html.split('id="reponse"')[1])


@pytest.fixture(scope="session")
def every_page_type(site):
    from .test_pages import html_of

    pages = {}
    for page_type, how in {
        **PAGE_TYPES,
        "orientation": "/orientation/?pour=moi&addiction=alcool&commune=Reims",
    }.items():
        if isinstance(how, str):
            pages[page_type] = how
            continue
        source, pattern = how
        pages[page_type] = re.findall(rf'href="({pattern})"', html_of(site + pages[source]))[0]
    pages["recherche-vide"] = "/reunions/?commune=51100&public=entourage&addiction=drogues"
    return pages


@pytest.mark.parametrize("page_type", [*PAGE_TYPES, "orientation", "recherche-vide"])
def test_every_page_type_reflows_at_320_px_without_horizontal_scroll(site, browser, every_page_type, page_type):
    url = site + urllib.parse.quote(every_page_type[page_type], safe="/?=&%-")
    page, _ = browser.open(url, **NARROW)
    widths = page.evaluate(
        "({page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth,"
        " wide: Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)})"
    )
    page.close()
    assert widths["view"] == NARROW["width"]
    assert widths["page"] <= NARROW["width"] and widths["body"] <= NARROW["width"], widths


@pytest.mark.parametrize("url", ["/", "/reunions/?commune=Nancy"])
def test_no_select_clips_its_text_on_a_desktop(site, browser, url):
    page, _ = browser.open(site + url, **SIZES["desktop"])
    clipped = page.evaluate(
        "(() => { const c = document.createElement('canvas').getContext('2d');"
        " return Array.from(document.querySelectorAll('select')).filter(s => s.offsetParent).map(s => {"
        " const style = getComputedStyle(s); c.font = style.font;"
        " const text = s.options[s.selectedIndex].text;"
        " const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;"
        " return {name: s.name, text: text, need: c.measureText(text).width, room: room}; })"
        ".filter(s => s.need > s.room); })()"
    )
    page.close()
    assert clipped == []


def test_an_empty_answer_shows_a_helpline_on_the_first_screen(site, browser):
    page, _ = browser.open(site + "/reunions/?commune=51100&public=entourage&addiction=drogues", **PHONE)
    assert page.evaluate("document.querySelectorAll('#liste-resultats .meeting').length") == 0
    bottom = page.evaluate("document.querySelector('.crisis a[href=\"tel:15\"]').getBoundingClientRect().bottom")
    height = page.evaluate("window.innerHeight")
    page.close()
    assert 0 < bottom <= height


def test_pres_de_moi_asks_the_position_only_on_click_and_sends_it_rounded(site, browser):
    page, _ = browser.open(site + "/", **PHONE)
    browser.send("Browser.grantPermissions", {"permissions": ["geolocation"], "origin": site})
    browser.send(
        "Emulation.setGeolocationOverride",
        {"latitude": 48.692054, "longitude": 6.184417, "accuracy": 10},
        session=page.session,
    )
    assert page.evaluate("location.pathname") == "/"  # nothing asked before the click
    assert page.evaluate("document.querySelector('[data-near-me]').hidden") is False
    page.evaluate("document.querySelector('[data-near-me] button').click()")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "lat=" not in (page.evaluate("location.search") or ""):
        time.sleep(0.1)
    search = page.evaluate("location.search")
    page.close()
    assert "lat=48.69&lon=6.18" in search and "commune" not in search, search
