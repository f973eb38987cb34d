"""Budgets at a modest size: territory and movement pages stay small and query the same however many meetings.

Timings belong to bench/http_bench.py; here, what can be asserted exactly: the
number of SQL queries, the number of meetings rendered and the bytes sent.
"""

import gzip
from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Commune, Group, Meeting, Venue
from tests.factories import METZ, get_movement

pytestmark = pytest.mark.django_db

PAGES = ["/territoires/57-moselle/", "/communes/57463-metz/", "/mouvements/vie-libre/", "/", "/territoires/"]


def add_meetings(count, insee_prefix="57", movement="vie-libre"):
    """`count` public meetings of one movement, three per group, over the communes of a département."""
    communes = list(Commune.objects.filter(insee__startswith=insee_prefix).order_by("-population")[:40])
    movement = get_movement(movement)
    start = Group.objects.count()
    groups = Group.objects.bulk_create(
        Group(movement=movement, commune=communes[i % len(communes)], name=f"Groupe {start + i}", published=True)
        for i in range((count + 2) // 3)
    )
    venues = Venue.objects.bulk_create(
        Venue(name=f"Salle {g.pk}", address="1 rue Haute", postal_code=g.commune.postal_code, commune=g.commune)
        for g in groups
    )
    Meeting.objects.bulk_create(
        Meeting(
            group=groups[i // 3],
            venue=venues[i // 3],
            weekday=i % 7,
            start_time=time(18, 0),
            end_time=time(20, 0),
            starts_on=date(2026, 1, 5),
            published=True,
        )
        for i in range(count)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_territory_and_movement_pages_query_the_same_for_ten_or_three_hundred_meetings(client):
    add_meetings(10)
    few = {url: queries(client, url) for url in PAGES}
    add_meetings(300)
    assert {url: queries(client, url) for url in PAGES} == few


def test_a_department_page_shows_the_next_meetings_and_counts_and_links_to_the_finder_for_the_rest(client):
    add_meetings(300)
    response = client.get("/territoires/57-moselle/")
    html = response.content.decode()
    assert html.count('<li class="meeting">') == 10
    assert "Les 300 réunions de cette sélection dans le moteur de recherche" in html
    finder = client.get("/reunions/?departement=57")
    assert finder.context["page"].paginator.count == 300
    assert f'href="{response.context["listing"].links["finder"]}"' in html
    shown, _others = response.context["listing"].communes
    assert len(shown) == 40 and sum(c.meeting_count for c in shown) == 300
    assert len(html.encode()) < 50_000


def test_a_department_page_names_how_many_communes_it_leaves_to_the_finder(client, monkeypatch):
    from directory import territory

    add_meetings(120)  # 40 groups in 40 communes
    monkeypatch.setattr(territory, "COMMUNES_SHOWN", 15)
    html = client.get("/territoires/57-moselle/").content.decode()
    assert "Et 25 autres communes" in html


def test_a_commune_page_shows_its_next_meetings_and_how_many_it_has(client):
    add_meetings(120, insee_prefix=METZ)
    response = client.get("/communes/57463-metz/")
    html = response.content.decode()
    assert "120 réunions dans la commune" in html
    assert len(response.context["meetings"]) == 10
    assert 'href="/reunions/?commune=57463"' in html
    assert "et 10 autres groupes." in html  # 40 groups, 30 named
    assert len(html.encode()) < 50_000


def test_a_movement_fiche_counts_by_department_what_the_finder_lists(client):
    add_meetings(30)
    add_meetings(12, insee_prefix="88")
    html = client.get("/mouvements/vie-libre/").content.decode()
    assert "Groupe 1<" not in html  # groups are summarised, not listed
    for code, count in [("57", 30), ("88", 12)]:
        url = f"/reunions/?mouvement=vie-libre&departement={code}"
        assert f'<a href="{url.replace("&", "&amp;")}">{count} réunions</a>' in html
        assert client.get(url).context["page"].paginator.count == count


def test_the_home_page_counts_meetings_where_they_are_held(client):
    add_meetings(30)
    moselle = next(d for d in client.get("/territoires/").context["departments"] if d.code == "57")
    assert (moselle.group_count, moselle.meeting_count, moselle.movement_count) == (10, 30, 1)
    assert client.get("/reunions/?departement=57").context["page"].paginator.count == 30


def test_pages_are_sent_compressed_to_browsers_that_ask(client):
    add_meetings(300)
    response = client.get("/reunions/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= 30_000
    assert b"<!doctype html>" in gzip.decompress(response.content)


def test_json_feeds_are_compressed_but_never_a_page_carrying_a_csrf_token(client):
    add_meetings(30)
    feed = client.get("/donnees/meeting-guide.json", headers={"accept-encoding": "gzip"})
    assert feed["Content-Encoding"] == "gzip"
    form = client.get("/mouvements/vie-libre/signaler/", headers={"accept-encoding": "gzip"})
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    assert not form.has_header("Content-Encoding")


def test_the_map_shows_the_places_of_the_page_shown_only(client):
    add_meetings(60)
    response = client.get("/reunions/?departement=57&page=2")
    listed = {meeting.get_absolute_url() for meeting in response.context["page"]}
    mapped = {item["url"] for place in response.context["search"].markers for item in place["items"]}
    assert len(listed) == 20 and mapped == listed


def add_online_meetings(count):
    """`count` public online meetings of one group, every day of the week."""
    group = Group.objects.create(
        movement=get_movement("alcooliques-anonymes"),
        commune_id=METZ,
        name=f"Groupe en ligne {Group.objects.count()}",
        published=True,
    )
    Meeting.objects.bulk_create(
        Meeting(
            group=group,
            modality=Meeting.Modality.ONLINE,
            video_url="https://visio.example.org/r",
            weekday=i % 7,
            start_time=time(9 + i % 12, 0),
            end_time=time(22, 0),
            starts_on=date(2026, 1, 5),
            published=True,
        )
        for i in range(count)
    )
    # As the scheduled command does: the page then only refreshes the rows whose occurrence ended.
    Meeting.objects.refresh_next_occurrences()


def test_a_finder_page_around_a_commune_stays_small_and_queries_the_same_with_thousands_online(client):
    url = "/reunions/?commune=nancy&rayon=30"
    add_meetings(40, insee_prefix="54")
    add_online_meetings(20)  # more than the preview: the count is asked for in both cases
    few = queries(client, url)
    add_online_meetings(1980)
    assert queries(client, url) == few <= 12
    response = client.get(url)
    html = response.content.decode()
    assert "Et 2000 réunions en ligne, accessibles de partout" in html
    assert html.count('<li class="meeting">') == 20 + 10  # a page of places, then the online preview
    assert len(html.encode()) < 60_000
    linked = client.get("/reunions/?modalite=en-ligne&modalite=hybride")
    assert linked.context["page"].paginator.count == 2000
