"""First contact on the finder and the home page: results first, never a dead end, crisis help at hand, true words."""

import re
from datetime import time
from html import unescape

import pytest

from directory.models import Meeting, Movement
from tests.factories import METZ, NANCY, make_coordinator, make_group, make_meeting

pytestmark = pytest.mark.django_db

REIMS = "51454"
SUGGESTION = re.compile(r'<li><a href="\?([^"]*)">(\d+) réunions? ')


def count_of(client, query):
    response = client.get("/reunions/?" + query)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture
def around_reims():
    """Alcohol meetings near Reims, a drug meeting in the next département, one online."""
    make_meeting(group=make_group("al-anon-alateen", insee=REIMS), audience="entourage")
    make_meeting(group=make_group("vie-libre", insee=REIMS), weekday=Meeting.Weekday.FRIDAY)
    make_meeting(group=make_group("narcotiques-anonymes", insee="08105"))  # Charleville-Mézières, 75 km
    make_meeting(
        group=make_group("narcotiques-anonymes", insee=METZ),
        modality=Meeting.Modality.ONLINE,
        video_url="https://visio.example.org/na",
    )


def test_after_a_search_the_form_is_folded_behind_a_summary_and_the_skip_link_leads_to_results(client, around_reims):
    html = client.get("/reunions/?commune=51100&public=entourage&addiction=alcool").content.decode()
    assert '<a class="skip-link" href="#resultats">Aller aux résultats</a>' in html
    summary = re.search(r'<details class="finder-edit">\s*<summary>(.*?)</summary>', html, re.S).group(1)
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", summary)).split())
    assert text == "Entourage · Alcool · 20 km autour de Reims — Modifier"
    assert html.index('id="resultats"') < html.index('class="meetings"')
    # Nothing folded before a search: the form is the page.
    html = client.get("/reunions/").content.decode()
    assert 'class="finder-edit"' not in html and 'href="#contenu"' in html


def test_each_suggestion_gives_the_number_of_meetings_of_the_page_it_links_to(client, around_reims):
    response = client.get("/reunions/?commune=51100&public=entourage&addiction=drogues")
    assert response.context["page"].paginator.count == 0
    suggestions = SUGGESTION.findall(response.content.decode())
    assert suggestions, "an empty answer must offer a way out when one exists"
    for query, announced in suggestions:
        assert int(announced) > 0
        assert count_of(client, unescape(query)) == int(announced), query


def test_a_suggestion_that_would_give_nothing_is_not_offered(client):
    make_meeting(group=make_group("vie-libre", insee=NANCY))
    html = client.get("/reunions/?commune=51100&addiction=medicaments").content.decode()
    assert SUGGESTION.findall(html) == []
    assert "Aucune réunion ne correspond" in html


def test_an_empty_answer_offers_helplines_online_meetings_and_the_national_directory(client, around_reims):
    html = client.get("/reunions/?commune=51100&public=entourage&addiction=drogues").content.decode()
    results = html[html.index('id="resultats"') :]
    assert 'href="tel:+33800231313"' in results and 'href="tel:15"' in results and 'href="tel:112"' in results
    assert 'href="https://www.drogues-info-service.fr/Adresses-utiles"' in results
    assert "Consultation jeunes consommateurs" in results
    # The matching online meeting is announced and listed.
    assert "Voir la réunion en ligne ci-dessous" in results and 'id="en-ligne"' in html


def test_the_crisis_block_comes_before_the_suggestions_of_an_empty_answer(client, around_reims):
    html = client.get("/reunions/?commune=51100&public=entourage&addiction=drogues").content.decode()
    assert html.index('class="crisis"') < html.index('class="empty"') < html.index('class="site-footer"')


def test_the_home_page_puts_crisis_lines_as_large_links_before_the_departements(client):
    html = client.get("/").content.decode()
    crisis = html.index('class="crisis"')
    assert crisis < html.index('id="territoires-titre"')
    block = html[crisis : html.index("</aside>", crisis)]
    assert re.findall(r'<a class="tap[^"]*" href="(tel:[^"]+)"', block) == [
        "tel:+33980980930",
        "tel:+33800231313",
        "tel:15",
        "tel:112",
    ]
    assert html.count('href="tel:15"') == 2  # and the full block stays in the footer


def test_the_home_page_promises_nothing_the_data_cannot_keep(client):
    lead = client.get("/").content.decode().split('class="lead"')[1].split("</p>")[0]
    covered = set(Movement.objects.published().values_list("addictions__slug", flat=True))
    assert "jeux" not in covered and "jeux" not in lead.lower()
    assert "anonymes" not in lead.lower()  # not every movement is anonymous


def test_the_home_shortcuts_search_tonight_and_tomorrow(client, time_machine):
    time_machine.move_to("2026-12-01 19:00 +01:00", tick=False)  # Tuesday
    tonight = make_meeting(group=make_group(insee=NANCY), start_time=time(20), end_time=time(22))
    make_meeting(group=make_group(insee=NANCY), weekday=Meeting.Weekday.THURSDAY)
    response = client.get("/reunions/", {"commune": "Nancy", "public": "", "quand": "ce-soir"})
    assert [m.pk for m in response.context["page"].object_list] == [tonight.pk]
    assert "Nancy" in response.context["search"].summary


@pytest.mark.parametrize(
    "slug, word",
    [
        ("alcooliques-anonymes", "Anonyme"),
        ("al-anon-alateen", "Anonyme"),
        ("narcotiques-anonymes", "Anonyme"),
        ("vie-libre", "Confidentiel"),
        ("croix-bleue", "Confidentiel"),
        ("amis-de-la-sante", "Confidentiel"),
    ],
)
def test_each_fiche_says_anonymous_or_confidential_as_its_movement_works(client, slug, word):
    html = client.get(f"/mouvements/{slug}/").content.decode()
    other = {"Anonyme": "Confidentiel", "Confidentiel": "Anonyme"}[word]
    assert f"<strong>{word}</strong>" in html and f"<strong>{other}</strong>" not in html


def test_every_fiche_and_meeting_page_says_what_a_first_meeting_is_like(client):
    for movement in Movement.objects.published():
        html = client.get(movement.get_absolute_url()).content.decode()
        assert "Votre première réunion" in html and movement.first_meeting_lines[0] in unescape(html)
        meeting = make_meeting(group=make_group(movement.slug))
        html = client.get(meeting.get_absolute_url()).content.decode()
        assert "Votre première réunion" in html and movement.first_meeting_lines[0] in unescape(html)


def test_each_fiche_has_an_easy_read_version_with_short_sentences(client):
    for movement in Movement.objects.published():
        html = client.get(movement.get_absolute_url()).content.decode()
        assert 'href="#facile-a-lire"' in html and 'id="facile-a-lire"' in html
        for line in movement.easy_read_lines:
            assert len(line.split()) <= 15, line  # European easy-to-read rules: short sentences
            assert line.count(".") <= 1, line  # one idea each


def test_coordinators_edit_the_first_contact_texts_in_the_admin(as_user):
    client = as_user(make_coordinator("vie-libre"))
    movement = Movement.objects.get(slug="vie-libre")
    html = client.get(f"/admin/directory/movement/{movement.pk}/change/").content.decode()
    # The texts in each language (modeltranslation: one field per language).
    for field in ["privacy", "first_meeting_fr", "first_meeting_de", "easy_read_fr", "easy_read_en"]:
        assert f'name="{field}"' in html


def test_the_footer_claims_what_the_fiches_say_of_their_verification(client):
    html = client.get("/").content.decode()
    footer = html[html.index('class="site-footer"') :]
    assert "rédigées par les mouvements eux-mêmes" not in footer
    assert "chaque fiche indique si le mouvement l'a vérifiée" in unescape(footer)
    fiche = client.get("/mouvements/vie-libre/").content.decode()
    assert "pas encore vérifiées par le mouvement" in fiche
