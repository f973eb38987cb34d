import re
from datetime import date, time

import pytest

from directory.models import Meeting, Movement
from tests.factories import EPINAL, METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

STRASBOURG = "67482"


def found(client, query):
    response = client.get("/reunions/?" + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return {meeting.pk for meeting in response.context["page"].object_list}


@pytest.fixture
def meetings():
    """A small map of meetings whose answers are known."""
    nancy_group = make_group("vie-libre", insee=NANCY, name="Vie Libre – section de Nancy")
    metz_group = make_group("alcooliques-anonymes", insee=METZ, name="Groupe AA Metz Centre")
    epinal_group = make_group("al-anon-alateen", insee=EPINAL, name="Al-Anon Épinal")
    strasbourg_group = make_group("narcotiques-anonymes", insee=STRASBOURG, name="NA Strasbourg")
    return {
        "nancy_tuesday": make_meeting(
            group=nancy_group,
            venue=make_venue(insee=NANCY, name="Salle Pierre-Semard", wheelchair_accessible=True),
            weekday=Meeting.Weekday.TUESDAY,
            start_time=time(20),
            end_time=time(22),
        ),
        "metz_saturday_morning": make_meeting(
            group=metz_group,
            weekday=Meeting.Weekday.SATURDAY,
            start_time=time(10),
            end_time=time(11, 30),
            audience="concernes",
            type=Meeting.Type.INFORMATION,
        ),
        "epinal_relatives": make_meeting(
            group=epinal_group,
            weekday=Meeting.Weekday.MONDAY,
            start_time=time(14, 30),
            end_time=time(16),
            audience="entourage",
            languages="fr",
        ),
        "strasbourg_german": make_meeting(
            group=strasbourg_group,
            weekday=Meeting.Weekday.THURSDAY,
            languages="fr de",
            modality=Meeting.Modality.HYBRID,
            video_url="https://visio.example.org/na",
        ),
        "online": make_meeting(
            group=nancy_group,
            modality=Meeting.Modality.ONLINE,
            video_url="https://visio.example.org/vl",
            weekday=Meeting.Weekday.SUNDAY,
        ),
    }


def ids(meetings, *names):
    return {meetings[name].pk for name in names}


def test_it_lists_every_published_active_meeting_without_criteria(client, meetings):
    make_meeting(published=False)
    make_meeting(status=Meeting.Status.CLOSED)
    assert found(client, "") == ids(meetings, *meetings)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("jour=mardi", ["nancy_tuesday"]),
        ("jour=mardi&jour=samedi", ["nancy_tuesday", "metz_saturday_morning"]),
        ("moment=matin", ["metz_saturday_morning"]),
        ("moment=apres-midi", ["epinal_relatives"]),
        ("public=entourage", ["nancy_tuesday", "epinal_relatives", "strasbourg_german", "online"]),
        ("public=concernes", ["nancy_tuesday", "metz_saturday_morning", "strasbourg_german", "online"]),
        ("addiction=drogues", ["strasbourg_german"]),
        ("mouvement=al-anon-alateen", ["epinal_relatives"]),
        ("type=reunion-information", ["metz_saturday_morning"]),
        ("modalite=hybride", ["strasbourg_german"]),
        ("modalite=en-ligne&modalite=hybride", ["strasbourg_german", "online"]),
        ("accessible=1", ["nancy_tuesday"]),
        ("langue=de", ["strasbourg_german"]),
        ("q=anon", ["epinal_relatives", "strasbourg_german", "metz_saturday_morning"]),
    ],
)
def test_each_filter_alone(client, meetings, query, expected):
    assert found(client, query) == ids(meetings, *expected)


def test_filters_combine(client, meetings):
    assert found(client, "public=entourage&jour=lundi&moment=apres-midi") == ids(meetings, "epinal_relatives")
    assert found(client, "public=entourage&jour=samedi") == set()
    assert found(client, "departement=57&public=concernes&moment=matin") == ids(meetings, "metz_saturday_morning")


def test_a_departement_search_offers_online_meetings_apart(client, meetings):
    response = client.get("/reunions/?departement=54")
    assert {m.pk for m in response.context["page"].object_list} == ids(meetings, "nancy_tuesday")
    # Online meetings, and hybrid ones held elsewhere, can be joined from anywhere.
    assert {m.pk for m in response.context["search"].online} == ids(meetings, "online", "strasbourg_german")
    assert "2 réunions en ligne, accessibles de partout" in response.content.decode()


def test_a_distance_search_sorts_by_next_occurrence_and_shows_distances(client, meetings, time_machine):
    time_machine.move_to("2026-11-30 09:00 +01:00")  # Monday: Nancy's Tuesday comes before Metz's Saturday
    response = client.get("/reunions/?commune=nancy&rayon=50")
    results = list(response.context["page"].object_list)
    assert [m.pk for m in results] == [meetings["nancy_tuesday"].pk, meetings["metz_saturday_morning"].pk]
    metz = results[1]
    assert 46 < metz.distance_km < 48.5  # Nancy–Metz ≈ 47 km as the crow flies
    assert f"à {metz.distance_km:.1f} km".replace(".", ",") in response.content.decode()
    assert {m.pk for m in response.context["search"].online} == ids(meetings, "online", "strasbourg_german")
    time_machine.move_to("2026-12-04 09:00 +01:00")  # Friday: the farther Saturday meeting comes first
    results = list(client.get("/reunions/?commune=nancy&rayon=50").context["page"].object_list)
    assert [m.pk for m in results] == [meetings["metz_saturday_morning"].pk, meetings["nancy_tuesday"].pk]


def test_a_hybrid_meeting_in_the_radius_is_not_offered_twice(client, meetings):
    response = client.get("/reunions/?commune=strasbourg&rayon=10")
    assert {m.pk for m in response.context["page"]} == ids(meetings, "strasbourg_german")
    assert {m.pk for m in response.context["search"].online} == ids(meetings, "online")


def test_no_online_section_when_there_is_none(client, meetings):
    html = client.get("/reunions/?commune=nancy&modalite=presentiel").content.decode()
    assert 'id="en-ligne"' not in html


def test_distance_search_excludes_what_is_beyond_the_radius(client, meetings):
    assert found(client, "commune=nancy&rayon=40") == ids(meetings, "nancy_tuesday")
    assert found(client, "commune=54395") == ids(meetings, "nancy_tuesday")  # default 20 km


def test_distance_is_right_across_the_region(client, meetings):
    # Nancy–Épinal ≈ 61 km, Nancy–Strasbourg ≈ 117 km as the crow flies.
    results = {m.pk: m.distance_km for m in client.get("/reunions/?commune=nancy&rayon=200").context["page"]}
    assert 58 < results[meetings["epinal_relatives"].pk] < 64
    assert 113 < results[meetings["strasbourg_german"].pk] < 121


@pytest.mark.parametrize("text", ["sante", "SANTÉ", "santé", "Sante"])
def test_text_search_ignores_accents_and_case(client, text):
    group = make_group("amis-de-la-sante", insee=METZ, name="Amis de la Santé – Metz")
    meeting = make_meeting(group=group)
    make_meeting(group=make_group("croix-bleue", insee=METZ))
    assert found(client, f"q={text}") == {meeting.pk}


def test_text_search_finds_venues_and_communes(client, meetings):
    assert found(client, "q=pierre semard") == ids(meetings, "nancy_tuesday")
    assert found(client, "q=EPINAL") == ids(meetings, "epinal_relatives")
    assert found(client, "q=vandoeuvre") == set()


def test_results_are_paginated_with_a_count(client):
    group = make_group()
    venue = make_venue()
    for _ in range(25):
        make_meeting(group=group, venue=venue)
    first = client.get("/reunions/?mouvement=vie-libre")
    assert first.context["page"].paginator.count == 25 and len(first.context["page"].object_list) == 20
    assert "25 réunions" in first.content.decode() and "page=2" in first.content.decode()
    assert len(client.get("/reunions/?mouvement=vie-libre&page=2").context["page"].object_list) == 5


def test_an_empty_result_suggests_only_widenings_that_find_meetings(client, meetings):
    response = client.get("/reunions/?commune=nancy&rayon=5&jour=samedi")
    html = response.content.decode()
    assert response.context["page"].paginator.count == 0
    assert "dans un rayon de 10 km" not in html  # nothing on Saturdays within 10 km either
    assert "1 réunion dans le département voisin : Moselle (57)" in html
    assert "2 réunions en ligne, tous jours et horaires confondus" in html and "modalite=en-ligne" in html


def test_each_result_shows_when_it_next_takes_place_and_accessibility(client, meetings, time_machine):
    time_machine.move_to("2026-11-30 09:00 +01:00")  # a Monday
    html = client.get("/reunions/?commune=nancy&rayon=5").content.decode()
    assert re.search(r'badge-today">demain</span>\s*<time datetime="2026-12-01T20:00:00\+01:00">', html)
    assert "accessible en fauteuil" in html


def test_a_meeting_taking_place_today_is_flagged_until_it_ends(client, meetings, time_machine):
    time_machine.move_to("2026-12-01 09:00 +01:00")  # Tuesday: the Nancy meeting is tonight
    html = client.get("/reunions/?commune=nancy&rayon=5").content.decode()
    assert '<span class="badge badge-today">ce soir</span>' in html
    time_machine.move_to("2026-12-01 21:00 +01:00")  # started, not over
    html = client.get("/reunions/?commune=nancy&rayon=5").content.decode()
    assert '<span class="badge badge-today">en cours</span>' in html
    time_machine.move_to("2026-12-01 22:30 +01:00")  # over: next week's is next
    html = client.get("/reunions/?commune=nancy&rayon=5").content.decode()
    assert "badge-today" not in html and "mardi 8 décembre" in html


def test_the_map_gets_markers_but_the_list_stands_without_javascript(client, meetings):
    response = client.get("/reunions/?departement=54")
    html = response.content.decode()
    assert 'id="carte-marqueurs"' in html and "js_lib_leaflet/leaflet.js" in html
    assert 'id="carte"' in html and " hidden " in html  # shown only by the script
    assert [len(place["items"]) for place in response.context["search"].markers] == [1]


BAD_QUERIES = [
    "rayon=-5&commune=nancy",
    "rayon=abc&commune=nancy",
    "rayon=1e9&commune=nancy",
    "rayon=10",
    "jour=funday",
    "moment=nuit",
    "public=tout-le-monde",
    "addiction=tabac",
    "mouvement=inconnu",
    "type=banquet",
    "modalite=telepathie",
    "accessible=oui",
    "langue=klingon",
    "departement=75",
    "commune=" + "x" * 5000,
    "q=" + "a" * 10000,
    "page=999999",
    "page=abc",
    "page=-1",
    "q=%27%3B+DROP+TABLE+directory_meeting%3B--",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "commune=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    "jour=lundi&jour=lundi&jour=mardi",
    "commune=nancy&commune=metz",
    "q=%00",
    "%ff%fe=%ff",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_never_breaks_the_finder(client, meetings, query):
    response = client.get("/reunions/?" + query)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    if response.status_code == 400:
        assert 'class="errors"' in html


def test_bad_values_get_french_messages(client):
    assert "La distance s" in client.get("/reunions/?rayon=10").content.decode()
    assert "200 caractères" in client.get("/reunions/?q=" + "a" * 300).content.decode()
    html = client.get("/reunions/?jour=funday").content.decode()
    assert "Sélectionnez un choix valide" in html


def test_draft_movements_are_not_offered_as_a_filter(client):
    Movement.objects.filter(slug="vie-libre").update(published=False)
    assert client.get("/reunions/?mouvement=vie-libre").status_code == 400


@pytest.mark.parametrize(
    "query",
    ["", "commune=nancy&rayon=200", "departement=54&departement=57", "q=groupe&public=entourage", "page=2"],
)
def test_the_finder_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, query):
    for insee in [NANCY, METZ, EPINAL, STRASBOURG]:
        group = make_group(insee=insee)
        for weekday in range(7):
            make_meeting(group=group, weekday=weekday)
        make_meeting(group=group, modality=Meeting.Modality.ONLINE, phone="01 99 00 00 01")
    # 9, and at most 2 to store the next occurrences of rows never computed or ended (a bounded batch).
    with django_assert_max_num_queries(11):
        assert client.get("/reunions/?" + query).status_code == 200


def test_next_dates_follow_each_recurrence(client, time_machine):
    time_machine.move_to("2026-11-24 12:00 +01:00")
    fortnightly = make_meeting(interval=2, starts_on=date(2026, 11, 3))  # Tuesdays 3, 17 Nov, 1 Dec…
    monthly = make_meeting(weekday=Meeting.Weekday.THURSDAY, frequency="monthly", positions="1,3")
    last = make_meeting(weekday=Meeting.Weekday.SATURDAY, frequency="monthly", positions="-1")
    suspended = make_meeting(status=Meeting.Status.SUSPENDED, suspended_until=date(2027, 1, 5))
    weekly = make_meeting()
    expected = {
        weekly: [date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 8)],
        fortnightly: [date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 29)],
        monthly: [date(2026, 12, 3), date(2026, 12, 17), date(2027, 1, 7)],
        last: [date(2026, 11, 28), date(2026, 12, 26), date(2027, 1, 30)],
        suspended: [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19)],
    }
    for meeting, dates in expected.items():
        response = client.get(meeting.get_absolute_url())
        assert [start.date() for start in response.context["next_dates"][:3]] == dates
        assert all(start.hour == 20 for start in response.context["next_dates"])


def test_a_meeting_already_started_today_is_not_next(time_machine):
    time_machine.move_to("2026-11-24 20:30 +01:00")
    meeting = make_meeting()
    assert meeting.next_date.date() == date(2026, 12, 1)


def test_results_link_to_the_same_search_as_csv_and_calendar(client, meetings):
    html = client.get("/reunions/?commune=nancy&rayon=30&jour=mardi&page=1").content.decode()
    assert 'href="/reunions/export.csv?commune=nancy&amp;rayon=30&amp;jour=mardi"' in html
    assert 'href="/reunions/agenda.ics?commune=nancy&amp;rayon=30&amp;jour=mardi"' in html


def test_text_search_matches_word_starts_not_fragments(client, meetings):
    # "al-anon" must not find the Alcooliques Anonymes, nor "na" Anonymes or Nancy.
    assert found(client, "q=al-anon") == ids(meetings, "epinal_relatives")
    assert found(client, "q=NA") == ids(meetings, "strasbourg_german")
    assert found(client, "q=nonymes") == set()


def test_text_search_knows_addictions_by_name(client, meetings):
    # NA helps with drugs; none of the other test movements' names says so.
    assert found(client, "q=drogue") == ids(meetings, "strasbourg_german")
    assert found(client, "q=DROGUES") == ids(meetings, "strasbourg_german")


def test_a_radius_outside_the_presets_is_kept_in_the_form(client):
    html = client.get("/reunions/?commune=nancy&rayon=25").content.decode()
    assert '<option value="25" selected>25 km</option>' in html
    html = client.get("/reunions/?commune=nancy&rayon=7.5").content.decode()
    assert '<option value="7.5" selected>7,5 km</option>' in html


def test_errors_name_their_field_and_the_title_says_so(client):
    response = client.get("/reunions/?commune=metz&rayon=-5&jour=funday")
    html = response.content.decode()
    assert '<a href="#id_rayon">Distance (km)</a>' in html and '<a href="#id_jour">Jour</a>' in html
    assert "<title>Recherche à corriger" in html and 'aria-invalid="true"' in html


def test_a_printed_list_says_which_search_it_is(client, meetings):
    html = client.get("/reunions/?commune=nancy&rayon=30&jour=mardi&public=entourage").content.decode()
    assert "Critères : Commune ou code postal : Nancy (54000) ; Distance (km) : 30 km ; Jour : mardi" in html


def test_on_postgresql_inflected_words_find_each_other(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("French stemming is PostgreSQL's full-text search")
    meeting = make_meeting(group=make_group(name="Cercle des familles"))
    assert found(client, "q=famille") == {meeting.pk}  # a word start
    assert found(client, "q=cercles") == {meeting.pk}  # only the stem matches
