"""'Quel mouvement pour moi ?': three questions by plain GET, the movements that fit and their next meetings."""

import re
from datetime import time

import pytest

from directory.models import Meeting
from tests.factories import EPINAL, NANCY, make_group, make_meeting

pytestmark = pytest.mark.django_db

REIMS = "51454"
ANSWER = re.compile(r'<article class="card answer">\s*<h3><a href="/mouvements/([-a-z]+)/">')


def answered(client, **params):
    response = client.get("/orientation/", params)
    assert response.status_code == 200, response.content.decode()[:300]
    return ANSWER.findall(response.content.decode())


def test_the_questions_are_a_plain_get_form_that_needs_no_javascript(client):
    html = client.get("/orientation/").content.decode()
    form = html[html.index("<form") : html.index("</form>")]
    assert 'method="get"' in form and 'action="/orientation/"' in form
    for name, value in [("pour", "moi"), ("pour", "proche"), ("pour", "professionnel"), ("addiction", "alcool")]:
        assert f'name="{name}" value="{value}"' in form
    assert 'name="commune"' in form and "<script" not in html.split("</form>")[0].split("<form")[1]


def test_a_relative_worried_about_drugs_is_not_sent_to_movements_for_the_person_concerned(client):
    # NA welcomes people who use; for relatives and drugs, the movements open to everyone remain.
    assert "narcotiques-anonymes" not in answered(client, pour="proche", addiction="drogues")
    assert "narcotiques-anonymes" in answered(client, pour="moi", addiction="drogues")


def test_someone_who_drinks_gets_the_alcohol_movements_open_to_them(client):
    assert answered(client, pour="moi", addiction="alcool") == [
        "alcooliques-anonymes",
        "amis-de-la-sante",
        "croix-bleue",
        "vie-libre",
    ]


def test_a_relative_of_someone_who_drinks_gets_al_anon_and_the_family_movements(client):
    assert answered(client, pour="proche", addiction="alcool") == [
        "al-anon-alateen",
        "amis-de-la-sante",
        "croix-bleue",
        "vie-libre",
    ]


def test_each_answer_has_a_neutral_sentence_the_first_meeting_and_the_next_three_meetings_near_the_commune(
    client, time_machine
):
    time_machine.move_to("2026-12-02 12:00 +01:00", tick=False)  # Wednesday
    group = make_group("alcooliques-anonymes", insee=REIMS)
    meetings = [make_meeting(group=group, weekday=day, start_time=time(20), end_time=time(21)) for day in (6, 3, 4, 5)]
    make_meeting(group=make_group("alcooliques-anonymes", insee=NANCY))  # far from Reims
    html = client.get("/orientation/", {"pour": "moi", "addiction": "alcool", "commune": "51100"}).content.decode()
    aa = html[html.index('href="/mouvements/alcooliques-anonymes/"') :]
    aa = aa[: aa.index("</article>")]
    assert "Entraide entre personnes qui ont un problème avec l’alcool" in aa
    assert "Votre première réunion" in aa and "<strong>Anonyme</strong>" in aa
    shown = [int(pk) for pk in re.findall(r'<a href="/reunions/(\d+)/">', aa)]
    assert shown == [meetings[1].pk, meetings[2].pk, meetings[3].pk]  # Thursday, Friday, Saturday
    assert "/reunions/?mouvement=alcooliques-anonymes&amp;public=concernes&amp;commune=51100" in aa


def test_nothing_is_stored(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/orientation/", {"pour": "proche", "addiction": "drogues", "commune": "Reims"})
    assert not [q for q in queries if q["sql"].split()[0].upper() in {"INSERT", "DELETE"}]


def test_when_no_movement_fits_the_answer_offers_helplines_and_the_national_directory(client):
    html = client.get("/orientation/", {"pour": "proche", "addiction": "jeux"}).content.decode()
    assert ANSWER.findall(html) == []
    assert 'href="tel:+33800231313"' in html
    assert 'href="https://www.drogues-info-service.fr/Adresses-utiles"' in html


def test_a_commune_far_from_any_meeting_says_so(client):
    make_meeting(group=make_group("vie-libre", insee=EPINAL))
    html = client.get("/orientation/", {"pour": "moi", "addiction": "alcool", "commune": "Reims"}).content.decode()
    assert "Pas de réunion de ce mouvement à moins de 20 km de Reims" in html


@pytest.mark.parametrize(
    "params",
    [
        {"pour": "tout-le-monde"},
        {"pour": "moi", "addiction": "tabac"},
        {"pour": "moi", "commune": "paris"},
        {"pour": "moi", "commune": "x" * 500},
        {"addiction": "alcool"},
    ],
)
def test_bad_answers_are_a_400_naming_the_question(client, params):
    response = client.get("/orientation/", params)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()


def test_an_ambiguous_commune_offers_the_choice(client):
    response = client.get("/orientation/", {"pour": "moi", "commune": "attigny"})
    assert response.status_code == 200 and "Choisissez la commune" in response.content.decode()


def test_the_orientation_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for insee in [REIMS, NANCY, EPINAL]:
        for slug in ["vie-libre", "alcooliques-anonymes", "croix-bleue"]:
            group = make_group(slug, insee=insee)
            for day in range(7):
                make_meeting(group=group, weekday=day)
    client.get("/reunions/")  # next occurrences computed once
    with django_assert_max_num_queries(30):
        client.get("/orientation/", {"pour": "moi", "addiction": "alcool", "commune": "Reims"})


def test_meeting_type_does_not_matter_for_orientation(client):
    # A drop-in counts as a meeting to come to as much as a support group.
    group = make_group("vie-libre", insee=REIMS)
    drop_in = make_meeting(group=group, type=Meeting.Type.DROP_IN)
    html = client.get("/orientation/", {"pour": "moi", "commune": "Reims"}).content.decode()
    assert f'href="/reunions/{drop_in.pk}/"' in html
