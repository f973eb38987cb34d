"""A coordinator of Croix-Bleue in a real Chromium, on a phone and on a laptop, through the flows that
HTTP tests alone cannot vouch for: a suspension for next August, a report turned into an edit, a CSV
written with words, and a venue's pin placed on the map.

Each flow ends where the public or she would check it: the public finder, the report's state, the
venue's page.
"""

import csv
import io
import json
import subprocess
import sys
from datetime import date

import pytest

from directory.csv_format import ADMIN_COLUMNS

from .serving import ROOT, SIZES, production_env
from .test_coordinator import PASSWORD, Coordinator, wait_for

pytestmark = pytest.mark.browser

SIZE_NAMES = ["phone", "desktop"]
BITCHE = "57089"  # no demo meeting there: whatever the finder lists around it is hers
FINDER = "/reunions/?commune=57089&rayon=5&mouvement=croix-bleue"
# Lucie coordinates Croix-Bleue only; for each screen size, a meeting in Bitche and a report about it.
SETUP = f"""
import json
from datetime import date, time
from django.contrib.auth import get_user_model
from directory.models import ChangeRequest, Commune, Group, Meeting, Membership, Movement, Venue
user, _ = get_user_model().objects.get_or_create(username="lucie", defaults={{"is_staff": True}})
user.set_password({PASSWORD!r})
user.save()
movement = Movement.objects.get(slug="croix-bleue")
Membership.objects.get_or_create(user=user, movement=movement)
bitche = Commune.objects.get(pk={BITCHE!r})
group, _ = Group.objects.get_or_create(
    movement=movement, commune=bitche, name="Croix-Bleue Bitche", defaults={{"published": True}}
)
venue, _ = Venue.objects.get_or_create(
    name="Salle des fêtes", commune=bitche, defaults={{"address": "1 rue du Château", "postal_code": "57230"}}
)
made = {{"group": group.pk}}
for weekday, size in enumerate({SIZE_NAMES!r}, start=3):
    meeting, _ = Meeting.objects.get_or_create(
        group=group, name=f"Réunion ({{size}})", venue=venue,
        defaults=dict(
            weekday=weekday, start_time=time(18), end_time=time(20), starts_on=date(2026, 1, 1), published=True
        ),
    )
    Meeting.objects.filter(pk=meeting.pk).refresh_next_occurrences()
    report, _ = ChangeRequest.objects.get_or_create(
        movement=movement, meeting=meeting, target_label=str(meeting),
        defaults={{"message": "La réunion finit à 19h30 maintenant."}},
    )
    made[size] = {{"meeting": meeting.pk, "report": report.pk}}
print(json.dumps(made))
"""


@pytest.fixture(scope="module")
def lucie(site, browser, tmp_path_factory):
    databases = sorted({path.resolve() for path in tmp_path_factory.getbasetemp().glob("site*/db.sqlite3")})
    assert len(databases) == 1, databases
    env = production_env(databases[0].parent)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True
    )
    yield json.loads(done.stdout.decode().strip().splitlines()[-1])
    # One browser profile for the session: the next module's coordinator must not find Lucie signed in.
    page, _ = browser.open(site + "/robots.txt", **SIZES["desktop"])
    browser.send("Network.clearBrowserCookies", session=page.session)
    page.close()


def log_in(browser, site, size):
    """Her own session: whoever the shared browser profile was signed in as is signed out first."""
    blank, _ = browser.open(site + "/robots.txt", **size)
    browser.send("Network.clearBrowserCookies", session=blank.session)
    blank.close()
    page, _ = browser.open(site + "/admin/login/?next=/admin/", **size)
    page.evaluate(
        "document.querySelector('[name=username]').value = 'lucie';"
        f"document.querySelector('[name=password]').value = {json.dumps(PASSWORD)};"
        "document.querySelector('#login-form').submit()"
    )
    wait_for(page, "location.pathname === '/admin/'")
    return page


def go(page, path, ready="true"):
    page.evaluate(f"location.href = {json.dumps(path)}")
    wait_for(page, f"location.pathname === {json.dumps(path.split('?')[0])} && ({ready})")


def text_of(page, selector="#content-main"):
    return page.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")


def saved(page, list_path):
    """After a click on "Enregistrer": back on the list, or the form's errors for the assertion message."""
    wait_for(page, f"location.pathname === {json.dumps(list_path)} || !!document.querySelector('.errornote')")
    assert page.evaluate("location.pathname") == list_path, text_of(page)


def finder_item(browser, site, size, meeting_id):
    """The public finder's entry for a meeting, as a visitor's fresh page shows it ('' if not listed)."""
    finder, report = browser.open(site + FINDER, **size)
    item = finder.evaluate(
        f"(() => {{ const a = document.querySelector('li.meeting a[href=\"/reunions/{meeting_id}/\"]');"
        " return a ? a.closest('li.meeting').innerText : ''; })()"
    )
    finder.close()
    assert report.problems == []
    return item


def next_august():
    today = date.today()
    return today.year + (1 if today.month >= 8 else 0)


@pytest.mark.parametrize("size_name", SIZE_NAMES)
def test_a_suspension_for_next_august_leaves_the_meeting_listed_today(site, browser, lucie, size_name):
    size, meeting = SIZES[size_name], lucie[size_name]["meeting"]
    year = next_august()
    page = log_in(browser, site, size)
    her = Coordinator(page)
    go(page, f"/admin/directory/meeting/{meeting}/change/", "!!document.querySelector('[name=status]')")
    # The fieldset is folded: she opens it, then says "from 1 August to 1 September".
    her.click("fieldset.collapse summary, details summary")
    her.choose("status", "suspended", "Suspendue")
    her.type("suspended_from", f"01/08/{year}")
    her.type("suspended_until", f"01/09/{year}")
    her.click("input[name=_save]")
    saved(page, "/admin/directory/meeting/")
    assert "Visible par le public" in text_of(page, ".messagelist")
    page.close()

    item = finder_item(browser, site, size, meeting)
    # Listed today, with the days it will not take place (the day before her return date is the last one).
    assert f"pas de réunion du 1 août au 31 août {year}" in item, item
    assert "suspendue, reprise" not in item.lower()


@pytest.mark.parametrize("size_name", SIZE_NAMES)
def test_a_report_leads_to_the_edit_then_is_marked_handled(site, browser, lucie, size_name):
    size, ids = SIZES[size_name], lucie[size_name]
    page = log_in(browser, site, size)
    her = Coordinator(page)
    # From her home: the new reports' tile, then this report.
    her.click(".workspace-tile[data-key=reports] a")
    wait_for(page, "location.pathname === '/admin/directory/changerequest/'")
    her.click(f"#result_list a[href*='/changerequest/{ids['report']}/change/']")
    wait_for(page, "!!document.querySelector('.report-edit-top a')")
    assert "19h30" in text_of(page)
    her.click(".report-edit-top a")
    wait_for(page, f"location.pathname === '/admin/directory/meeting/{ids['meeting']}/change/'")
    her.type("end_time", "19h30")
    her.click("input[name=_save]")
    saved(page, "/admin/directory/meeting/")

    # Back to the report (her browser's history would do the same): it is handled.
    go(page, f"/admin/directory/changerequest/{ids['report']}/change/", "!!document.querySelector('[name=state]')")
    her.choose("state", "traitee", "Traité")
    her.click("input[name=_save]")
    saved(page, "/admin/directory/changerequest/")
    row = page.evaluate(
        f"document.querySelector('#result_list a[href*=\"/changerequest/{ids['report']}/change/\"]')"
        ".closest('tr').innerText"
    )
    assert "Traité" in row, row
    page.close()
    assert "18:00–19:30" in finder_item(browser, site, size, ids["meeting"]).replace("h", ":")


def csv_in_words(group_id, size_name):
    """Two meetings as a coordinator writes them in a spreadsheet: words, French times, a commune by name."""
    common = {
        "groupe_id": group_id,
        "type": "Groupe de parole",
        "public": "Tous publics",
        "statut": "Active",
        "modalite": "En présentiel",
        "premiere_date": "2026-01-01",
        "lieu": f"Maison des associations ({size_name})",
        "adresse": "3 rue de Sarreguemines",
        "commune": "Bitche",
        "langues": "fr",
        "publie": "oui",
    }
    rows = [
        {**common, "intitule": f"Import mensuel ({size_name})", "frequence": "Mensuelle", "intervalle": "1",
         "positions": "1er et 3e mardis", "jour": "Mardi", "heure_debut": "18h30", "heure_fin": "20h"},
        {**common, "intitule": f"Import bimensuel ({size_name})", "frequence": "hebdomadaire",
         "intervalle": "une semaine sur deux", "jour": "Lundi", "heure_debut": "20h", "heure_fin": "22h"},
    ]  # fmt: skip
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=[c.header for c in ADMIN_COLUMNS], delimiter=";", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


@pytest.mark.parametrize("size_name", SIZE_NAMES)
def test_a_csv_written_with_words_is_previewed_row_by_row_then_published(site, browser, lucie, size_name):
    size = SIZES[size_name]
    page = log_in(browser, site, size)
    her = Coordinator(page)
    go(page, "/admin/directory/meeting/import/", "!!document.querySelector('input[type=file]')")
    content = csv_in_words(lucie["group"], size_name)
    # Her file chooser, as the page receives it.
    her._do(
        "(() => { const input = document.querySelector('input[type=file]'); const files = new DataTransfer();"
        f" files.items.add(new File([{json.dumps(content)}], 'reunions.csv', {{type: 'text/csv'}}));"
        " input.files = files.files; input.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    her.click("form[enctype] button[type=submit]")
    wait_for(page, "!!document.querySelector('table.import-preview, .errornote')")
    preview = text_of(page)
    assert "Rien n'est encore enregistré" in preview, preview
    rows = page.evaluate("[...document.querySelectorAll('table.import-preview tbody tr')].map(r => r.innerText)")
    assert len(rows) == 2, rows
    assert "1er et 3e mardis" in rows[0] and "18:30" in rows[0], rows
    assert "un lundi sur deux" in rows[1] and "20:00" in rows[1], rows
    her.click("input[name=confirm] ~ button[type=submit]")
    wait_for(
        page, "!document.querySelector('input[name=confirm]') && !!document.querySelector('.messagelist, .errornote')"
    )
    page.close()

    finder, report = browser.open(site + FINDER, **size)
    listed = finder.evaluate("document.querySelector('main').innerText")
    finder.close()
    assert report.problems == []
    assert listed.count(f"Maison des associations ({size_name})") == 2, listed


def click_at(page, x, y):
    """A real mouse click at the page's (x, y): pressed and released, as a finger or a mouse does."""
    for kind in ("mousePressed", "mouseReleased"):
        page.browser.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            session=page.session,
        )


@pytest.mark.parametrize("size_name", SIZE_NAMES)
def test_she_places_a_new_venue_pin_on_the_map(site, browser, lucie, size_name):
    size = SIZES[size_name]
    page = log_in(browser, site, size)
    her = Coordinator(page)
    go(page, "/admin/directory/meeting/add/", "!!document.querySelector('.venue-pin')")
    # With the script, the map replaces the coordinates' fields.
    assert page.evaluate("document.querySelector('.venue-pin').hidden") is False
    assert page.evaluate("document.querySelector('[name=new_venue_latitude]').closest('.form-row').hidden") is True
    venue = f"Salle du Casino ({size_name})"
    her.choose("group", str(lucie["group"]), "Croix-Bleue Bitche")
    # The pin starts at the centre of the group's commune, which the map names.
    wait_for(page, "!!document.querySelector('.venue-pin .leaflet-marker-icon')")
    wait_for(page, "document.querySelector('.venue-pin-status').innerText.includes('Bitche')")
    assert page.evaluate("document.querySelector('[name=new_venue_latitude]').value") == ""
    her.choose("weekday", "2", "")
    her.type("start_time", "20h")
    her.type("end_time", "22h")
    her.type("new_venue_name", venue)
    her.type("new_venue_address", f"{SIZE_NAMES.index(size_name) + 12} rue du Maréchal Foch")

    # She clicks a little north-east of the centre: the pin moves there and the hidden fields follow.
    page.evaluate("document.querySelector('.venue-pin-map').scrollIntoView({block: 'center'})")
    box = page.evaluate(
        "(() => { const r = document.querySelector('.venue-pin-map').getBoundingClientRect();"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
    )
    click_at(page, box["x"] + 60, box["y"] - 40)
    her.interactions += 1
    wait_for(page, "document.querySelector('[name=new_venue_latitude]').value !== ''")
    latitude = float(page.evaluate("document.querySelector('[name=new_venue_latitude]').value"))
    longitude = float(page.evaluate("document.querySelector('[name=new_venue_longitude]').value"))
    assert latitude > 49.0502 and longitude > 7.4263, (latitude, longitude)  # north-east of Bitche's centre
    assert "Repère placé" in text_of(page, ".venue-pin-status")
    her.click("input[name=_save]")
    saved(page, "/admin/directory/meeting/")
    assert her.interactions <= 10

    # The venue's own page opens on the pin where she put it.
    go(page, "/admin/directory/venue/", "!!document.querySelector('#result_list')")
    page.evaluate(
        f"[...document.querySelectorAll('#result_list th a')].find(a => a.innerText === {json.dumps(venue)}).click()"
    )
    wait_for(page, "!!document.querySelector('.venue-pin .leaflet-marker-icon')")
    assert float(page.evaluate("document.querySelector('[name=latitude]').value")) == latitude
    assert float(page.evaluate("document.querySelector('[name=longitude]').value")) == longitude
    assert "Repère placé" in text_of(page, ".venue-pin-status")
    page.close()


@pytest.mark.parametrize("size_name", SIZE_NAMES)
def test_the_venue_form_without_javascript_keeps_its_coordinate_fields(site, browser, lucie, size_name):
    size = SIZES[size_name]
    log_in(browser, site, size).close()
    page, report = browser.open(site + "/admin/directory/venue/add/", javascript=False, **size)
    assert page.evaluate("document.querySelector('.venue-pin').hidden") is True
    assert page.evaluate("document.querySelector('[name=latitude]').closest('.form-row').hidden") is False
    page.close()
    assert report.problems == []
