"""French, German and English: the URL prefix alone gives the language; each page links its versions."""

import io
import re
from datetime import time

import pytest
from pypdf import PdfReader

from directory import paper
from directory.models import Meeting, Movement
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([a-z]+)">', response.content.decode()).group(1)


def alternates(response):
    """{hreflang: href} of the page's <link rel="alternate" hreflang> elements."""
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode())
    return dict(links)


def switch(response):
    """{language: (href, is_current)} of the header's language switch."""
    nav = re.search(r'<nav class="language-switch".*?</nav>', response.content.decode(), re.S).group(0)
    links = re.findall(r'<a href="([^"]*)" lang="([a-z]+)" hreflang="[a-z]+"( aria-current="true")?>', nav)
    return {language: (href.replace("&amp;", "&"), bool(current)) for href, language, current in links}


# --- one page, three prefixes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url, language, heading",
    [
        ("/mouvements/", "fr", "Les mouvements d'entraide"),
        ("/de/mouvements/", "de", "Die Selbsthilfebewegungen"),
        ("/en/mouvements/", "en", "The mutual-aid movements"),
    ],
)
def test_the_prefix_gives_the_language_of_the_page(client, url, language, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response.headers["Content-Language"] == language
    assert heading in response.content.decode()


def test_french_stays_at_the_bookmarked_urls_and_has_no_prefix_of_its_own(client):
    assert client.get("/mouvements/vie-libre/").status_code == 200
    assert client.get("/fr/mouvements/vie-libre/").status_code == 404


def test_neither_accept_language_nor_a_cookie_changes_the_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/mouvements/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.status_code == 200  # no redirect to /de/
    assert html_lang(response) == "fr"
    # The body depends on the URL only: caches need not split on the header.
    assert "Accept-Language" not in response.headers.get("Vary", "")
    german = client.get("/de/mouvements/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(german) == "de"


def test_an_anonymous_visitor_gets_no_cookie_in_any_language(client):
    for url in ["/", "/de/", "/en/reunions/?jour=mardi"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert not response.cookies, url


def test_slugs_and_parameter_values_stay_french_in_every_language(client):
    meeting = make_meeting(group=make_group("vie-libre"), name="Réunion du mardi")
    for prefix in ["/de", "/en"]:
        assert client.get(f"{prefix}/mouvements/vie-libre/").status_code == 200
        assert client.get(f"{prefix}/territoires/54-meurthe-et-moselle/").status_code == 200
        found = client.get(f"{prefix}/reunions/", {"jour": "mardi", "public": "concernes"})
        assert meeting in found.context["meetings"]
        refused = client.get(f"{prefix}/reunions/", {"jour": "dienstag" if prefix == "/de" else "tuesday"})
        assert refused.status_code == 400 and refused.context["form"].errors


def test_a_form_error_speaks_the_page_language(client):
    response = client.get("/en/reunions/", {"commune": "Atlantis"})
    assert response.status_code == 400
    assert (
        "Unknown commune (" in response.content.decode()
        and "“Atlantis”. Try its postcode" in response.content.decode()
    )


def test_a_missing_page_answers_in_the_language_of_its_prefix(client):
    response = client.get("/de/nirgendwo/")
    assert response.status_code == 404
    assert html_lang(response) == "de" and "Seite nicht gefunden" in response.content.decode()


# --- what stays the same in every language --------------------------------------------------


def test_the_admin_and_the_exports_have_no_language_prefix(client):
    make_meeting()
    for url in ["/de/admin/", "/en/reunions/export.csv", "/de/reunions/agenda.ics", "/en/donnees/meeting-guide.json"]:
        assert client.get(url).status_code == 404, url
    page = client.get("/de/reunions/", {"jour": "mardi"}).content.decode()
    assert 'href="/reunions/export.csv?jour=mardi"' in page
    assert 'href="/reunions/agenda.ics?jour=mardi"' in page


def test_an_export_is_the_same_whatever_language_the_client_prefers(client):
    make_meeting(group=make_group("vie-libre"), frequency=Meeting.Frequency.MONTHLY, positions="1,3")
    french = client.get("/reunions/export.csv")
    german = client.get("/reunions/export.csv", HTTP_ACCEPT_LANGUAGE="de")
    body = b"".join(german.streaming_content) if german.streaming else german.content
    assert body == (b"".join(french.streaming_content) if french.streaming else french.content)
    assert b"1er et 3e mardis du mois" in body  # exports stay French


# --- switch and alternates ------------------------------------------------------------------


def test_the_language_switch_keeps_the_page_and_its_query_string(client):
    response = client.get("/de/reunions/", {"jour": "mardi", "departement": "54"})
    assert switch(response) == {
        "fr": ("/reunions/?jour=mardi&departement=54", False),
        "de": ("/de/reunions/?jour=mardi&departement=54", True),
        "en": ("/en/reunions/?jour=mardi&departement=54", False),
    }


@pytest.mark.parametrize(
    "path", ["/", "/mouvements/vie-libre/", "/reunions/", "/territoires/57-moselle/", "/charte/", "/donnees/"]
)
def test_hreflang_alternates_are_reciprocal(client, settings, path):
    expected = {
        "fr": f"{settings.SITE_URL}{path}",
        "de": f"{settings.SITE_URL}/de{path}",
        "en": f"{settings.SITE_URL}/en{path}",
        "x-default": f"{settings.SITE_URL}{path}",
    }
    for language in ["fr", "de", "en"]:
        version = client.get(expected[language].removeprefix(settings.SITE_URL))
        assert version.status_code == 200
        # Each version names all three, itself included: every link has its way back.
        assert alternates(version) == expected
        assert f'<link rel="canonical" href="{expected[language]}">' in version.content.decode()


# --- words built from data ------------------------------------------------------------------


def test_a_schedule_is_worded_in_the_page_language(client):
    group = make_group("vie-libre")
    weekly = make_meeting(group=group)
    fortnightly = make_meeting(group=group, interval=2, start_time=time(18), end_time=time(19))
    monthly = make_meeting(
        group=group,
        frequency=Meeting.Frequency.MONTHLY,
        positions="1,3",
        weekday=Meeting.Weekday.THURSDAY,
        start_time=time(14),
        end_time=time(16),
    )
    last = make_meeting(
        group=group,
        frequency=Meeting.Frequency.MONTHLY,
        positions="-1",
        weekday=Meeting.Weekday.SATURDAY,
        start_time=time(10),
        end_time=time(12),
    )
    wording = {
        "": ["Chaque mardi", "Un mardi sur deux", "1er et 3e jeudis du mois", "Dernier samedi du mois"],
        "/de": [
            "Jeden Dienstag",
            "Jeden zweiten Dienstag",
            "Am 1. und 3. Donnerstag im Monat",
            "Am letzten Samstag im Monat",
        ],
        "/en": [
            "Every Tuesday",
            "Every other Tuesday",
            "1st and 3rd Thursday of the month",
            "Last Saturday of the month",
        ],
    }
    for prefix, texts in wording.items():
        for meeting, text in zip([weekly, fortnightly, monthly, last], texts, strict=True):
            assert text in client.get(f"{prefix}/reunions/{meeting.pk}/").content.decode(), (prefix, text)


def test_place_names_take_no_french_preposition_in_german_or_english(client):
    make_meeting(group=make_group("vie-libre"))
    assert "Réunions autour de Nancy" in client.get("/reunions/", {"commune": "Nancy"}).content.decode()
    assert "Treffen rund um Nancy" in client.get("/de/reunions/", {"commune": "Nancy"}).content.decode()
    assert "Mutual-aid groups in Nancy" in client.get("/en/communes/54395-nancy/").content.decode()


# --- movements' own texts -------------------------------------------------------------------


def main(client, url):
    """The page without its helplines footer (which says "(en français)" of the French lines)."""
    return client.get(url).content.decode().split('<aside class="helplines"')[0]


def test_a_fiche_shows_its_german_and_english_texts(client):
    de = main(client, "/de/mouvements/croix-bleue/")
    en = main(client, "/en/mouvements/croix-bleue/")
    assert "Das Blaue Kreuz (Croix-Bleue) wurde am 21. September 1877 in Genf" in de
    assert "The Blue Cross (Croix-Bleue) was founded in Geneva on 21 September 1877" in en
    assert "Alkohol" in de and "alcohol" in en  # addiction names
    assert "(auf Französisch)" not in de and "(in French)" not in en


def test_a_missing_translation_falls_back_to_french_with_a_visible_mark(client):
    Movement.objects.filter(slug="vie-libre").update(summary_en="", approach_en="")
    en = main(client, "/en/mouvements/vie-libre/")
    assert "Mouvement d’entraide reconnu d’utilité publique" in en
    assert en.count("(in French)") == 2
    assert "(in French)" in main(client, "/en/mouvements/")
    assert "(en français)" not in main(client, "/mouvements/vie-libre/")
    assert "(auf Französisch)" not in main(client, "/de/mouvements/vie-libre/")


def test_every_movement_of_the_fixtures_has_its_texts_in_german_and_english():
    for movement in Movement.objects.all():
        for field in [
            "summary",
            "history",
            "presentation",
            "approach",
            "audience_details",
            "first_meeting",
            "easy_read",
        ]:
            for language in ["de", "en"]:
                assert getattr(movement, f"{field}_{language}"), (movement.slug, field, language)


def test_a_coordinator_edits_the_three_languages_of_the_fiche(as_user, world):
    client = as_user(world.vl_coord)
    form = client.get(f"/admin/directory/movement/{world.vl.pk}/change/").context["adminform"].form
    assert {"summary_fr", "summary_de", "summary_en", "helpline_hours_de"} <= set(form.fields)
    assert {"first_meeting_de", "easy_read_en", "partner_contact_name_de", "partner_topics_en"} <= set(form.fields)


def test_the_first_meeting_and_the_easy_read_fiche_speak_the_page_language(client):
    de = main(client, "/de/mouvements/vie-libre/")
    en = main(client, "/en/mouvements/vie-libre/")
    assert "Sie können einfach zuhören." in de and "Nach 6 Monaten ohne Alkohol" in de
    assert "You can simply listen." in en and "After 6 months without alcohol" in en
    assert "Vous pouvez simplement écouter" not in de + en
    assert 'lang="fr"' not in de.split("<main")[1]
    orientation = main(client, "/en/orientation/?pour=moi&addiction=alcool")
    assert "You can simply listen." in orientation


def test_the_easy_read_fiches_keep_their_rules_in_german_and_english():
    for movement in Movement.objects.all():
        for language in ["de", "en"]:
            lines = getattr(movement, f"easy_read_{language}").splitlines()
            assert len(lines) == len(movement.easy_read_fr.splitlines()), (movement.slug, language)  # line for line
            for line in lines:
                assert len(line.split()) <= 15 and line.count(".") <= 1, (movement.slug, line)


def test_first_contact_texts_not_yet_translated_are_marked_french(client):
    Movement.objects.filter(slug="vie-libre").update(
        first_meeting_en="",
        easy_read_en="",
        partner_contact_name_fr="Délégation régionale",
        partner_topics_fr="Visites à l'hôpital",
        partner_topics_en="Hospital visits",
    )
    en = main(client, "/en/mouvements/vie-libre/")
    assert en.count("(in French)") == 3  # first meeting, easy-read, contact's name; not the topics
    first = re.search(r'<section class="first-meeting".*?</section>', en, re.S).group(0)
    assert re.search(r'<div lang="fr"><p>Vie Libre réunit', first)
    assert re.search(r'<ul class="plain" lang="fr"><li>Vie Libre aide', en)
    assert '<span lang="fr">Délégation régionale</span>' in en and "<span>Hospital visits</span>" in en
    assert "(en français)" not in main(client, "/mouvements/vie-libre/")


# --- map and helplines ----------------------------------------------------------------------


def test_the_map_speaks_the_page_language_and_has_an_accessible_name(client):
    make_meeting(group=make_group("vie-libre"))
    page = client.get("/de/reunions/").content.decode()
    container = re.search(r'<div id="carte"[^>]*>', page, re.S).group(0)
    assert 'role="region"' in container and 'aria-label="Karte der gefundenen Treffen"' in container
    assert 'data-label-zoom-in="Vergrößern"' in container and 'data-label-zoom-out="Verkleinern"' in container
    assert "OpenStreetMap-Mitwirkende" in container
    english = client.get("/en/reunions/").content.decode()
    assert 'data-label-zoom-in="Zoom in"' in english and "OpenStreetMap contributors" in english


def test_the_helplines_say_which_language_they_answer_in(client):
    french = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    aside = re.search(r'<aside class="helplines".*?</aside>', english, re.S).group(0)
    assert aside.count("(in French)") == 3
    assert "Sucht &amp; Drogen Hotline" in aside and "in German" in aside
    assert '<strong lang="fr">Alcool Info Service</strong>' in aside
    assert '<strong lang="de">Sucht &amp; Drogen Hotline</strong>' in aside
    assert "(en français)" in french and "(en allemand)" in french


def test_every_helpline_states_its_language_and_its_source():
    for line in paper.HELPLINES + paper.CROSS_BORDER_HELPLINES:
        assert line.language in paper.ANSWERS_IN, line
        assert line.source.startswith("https://"), line


def test_the_poster_says_which_language_each_line_answers_in(client):
    poster = client.get("/de/territoires/54-meurthe-et-moselle/affiche/").content.decode()
    assert '<strong lang="fr">Drogues Info Service</strong> : 0 800 23 13 13 (auf Französisch)' in poster
    pdf = PdfReader(io.BytesIO(client.get("/en/territoires/54-meurthe-et-moselle/affiche.pdf").content))
    text = pdf.pages[0].extract_text()
    assert "Drogues Info Service : 0 800 23 13 13 (in French)" in text
    assert "Need help now?" in text
    german = PdfReader(io.BytesIO(client.get("/de/communes/54395-nancy/affiche.pdf").content)).pages[0].extract_text()
    assert re.search(r"Liste aktualisiert am \d{1,2}\. \w+ \d{4}", german)  # "26. November 2026"


def test_dates_and_times_are_written_as_each_language_writes_them(client):
    meeting = make_meeting(group=make_group("vie-libre"), start_time=time(20), end_time=time(22))
    french = client.get(f"/reunions/{meeting.pk}/").content.decode()
    german = client.get(f"/de/reunions/{meeting.pk}/").content.decode()
    english = client.get(f"/en/reunions/{meeting.pk}/").content.decode()
    assert "de 20h00 à 22h00" in french and re.search(r"mardi \d{1,2} \w+ 20\d\d", french)
    assert "von 20:00 bis 22:00" in german and re.search(r"Dienstag, \d{1,2}\. \w+ 20\d\d", german)
    assert "from 20:00 to 22:00" in english and re.search(r"Tuesday \d{1,2} \w+ 20\d\d", english)
