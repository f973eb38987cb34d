"""A volunteer coordinator in a real Chromium, on a phone and on a laptop: log in, see her home,
add a weekly meeting at a new venue typing "20h" and "22h", and find it on the public finder.

Interactions are counted as she would make them (a click, a choice, a field typed in):
adding the meeting, from her home to the saved page, takes at most eight.
"""

import json
import subprocess
import sys
import time

import pytest

from .cdp import CDPError
from .serving import ROOT, SIZES, production_env

pytestmark = pytest.mark.browser

PASSWORD = "Mot-de-passe-du-test-42"
# A Vie Libre coordinator with one published group in Reims (one postal code: the new venue needs no other).
SETUP = f"""
from django.contrib.auth import get_user_model
from directory.models import Commune, Group, Membership, Movement
user, _ = get_user_model().objects.get_or_create(username="marie", defaults={{"is_staff": True}})
user.set_password({PASSWORD!r})
user.save()
movement = Movement.objects.get(slug="vie-libre")
Membership.objects.get_or_create(user=user, movement=movement)
Group.objects.get_or_create(
    movement=movement, commune=Commune.objects.get(pk="51454"), name="Vie Libre Reims centre",
    defaults={{"published": True}},
)
"""


@pytest.fixture(scope="module")
def coordinator(site, tmp_path_factory):
    # The site's own database: the one the `site` fixture created under its temporary folder.
    databases = sorted({path.resolve() for path in tmp_path_factory.getbasetemp().glob("site*/db.sqlite3")})
    assert len(databases) == 1, databases
    env = production_env(databases[0].parent)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], env=env, check=True, cwd=ROOT)
    return "marie"


def wait_for(page, condition, timeout=20):
    """Poll a JavaScript condition until it holds (a page load after a click)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.evaluate(f"document.readyState === 'complete' && ({condition})"):
                return
        except CDPError:
            pass  # the page was navigating
        time.sleep(0.1)
    raise AssertionError(f"toujours faux après {timeout} s : {condition}")


class Coordinator:
    """Her hands on the page: each method is one interaction, and is counted."""

    def __init__(self, page):
        self.page, self.interactions = page, 0

    def _do(self, script):
        self.interactions += 1
        self.page.evaluate(script)

    def click(self, selector):
        self._do(f"document.querySelector({json.dumps(selector)}).click()")

    def type(self, name, text):
        self._do(
            f"(() => {{ const f = document.querySelector('[name={name}]'); f.focus(); f.value = {json.dumps(text)};"
            " f.dispatchEvent(new Event('input', {bubbles: true})); })()"
        )

    def choose(self, name, value, label):
        # A <select>, plain or behind the autocomplete widget: the option is added when the widget fetches it.
        self._do(
            f"(() => {{ const s = document.querySelector('select[name={name}]');"
            f" if (![...s.options].some(o => o.value === {json.dumps(value)}))"
            f" s.add(new Option({json.dumps(label)}, {json.dumps(value)}));"
            f" s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"
        )


def log_in(browser, site, size):
    page, _ = browser.open(site + "/admin/login/?next=/admin/", **size)
    if not page.evaluate("!!document.querySelector('[name=username]')"):
        return page  # still signed in from an earlier test (one browser profile for the session)
    page.evaluate(
        "document.querySelector('[name=username]').value = 'marie';"
        f"document.querySelector('[name=password]').value = {json.dumps(PASSWORD)};"
        "document.querySelector('#login-form').submit()"
    )
    wait_for(page, "location.pathname === '/admin/'")
    return page


@pytest.mark.parametrize("size_name, weekday", [("phone", "3"), ("desktop", "4")])
def test_a_coordinator_adds_a_weekly_meeting_at_a_new_venue_and_sees_it_live(
    site, browser, coordinator, size_name, weekday
):
    size = SIZES[size_name]
    page = log_in(browser, site, size)
    home = page.evaluate("document.querySelector('#content-main').innerText")
    assert "Vie Libre" in home and "Ajouter une réunion" in home
    assert page.evaluate("document.querySelectorAll('.workspace-tile .workspace-count').length") >= 5

    # What the group field's autocomplete offers her when she types "Reims" (asked as the widget asks).
    group = page.evaluate(
        "(() => { const x = new XMLHttpRequest();"
        " x.open('GET', '/admin/autocomplete/?app_label=directory&model_name=meeting&field_name=group&term=Reims',"
        " false); x.send(); return JSON.parse(x.responseText).results[0]; })()"
    )
    her = Coordinator(page)
    her.click("a.workspace-big[href$='/meeting/add/']")
    wait_for(page, "location.pathname.endsWith('/meeting/add/') && !!document.querySelector('[name=start_time]')")
    assert page.evaluate("document.querySelector('[name=start_time]').inputMode") == "numeric"
    venue = f"Salle Saint-Remi ({size_name})"
    her.choose("group", group["id"], group["text"])
    her.choose("weekday", weekday, "")
    her.type("start_time", "20h")
    her.type("end_time", "22h")
    her.type("new_venue_name", venue)
    her.type("new_venue_address", f"{weekday} rue Simon")
    her.click("input[name=_save]")
    wait_for(page, "location.pathname === '/admin/directory/meeting/' || !!document.querySelector('.errornote')")
    assert page.evaluate("location.pathname") == "/admin/directory/meeting/", page.evaluate(
        "document.querySelector('#content-main').innerText"
    )
    assert her.interactions <= 8
    message = page.evaluate("document.querySelector('.messagelist').innerText")
    assert "Visible par le public" in message
    public = page.evaluate("document.querySelector('.messagelist a[href^=\"/reunions/\"]').getAttribute('href')")
    page.close()

    finder, report = browser.open(site + "/reunions/?commune=reims&rayon=10", **size)
    listed = finder.evaluate("document.querySelector('main').innerText")
    links = finder.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    finder.close()
    assert venue in listed and public in links
    assert report.problems == []


@pytest.mark.parametrize("size_name", ["phone", "desktop"])
def test_her_pages_load_without_failed_request(site, browser, coordinator, size_name):
    size = SIZES[size_name]
    log_in(browser, site, size).close()
    for path in ["/admin/", "/admin/directory/meeting/add/", "/admin/directory/meeting/"]:
        page, report = browser.open(site + path, **size)
        page.close()
        assert report.problems == [], path
