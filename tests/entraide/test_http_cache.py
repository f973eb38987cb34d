"""Anonymous public pages are answered from the shared cache and revalidated (ETag, 304), and follow the data.

The page cache is off for the rest of the suite (tests/conftest.py); these tests turn it on.
"""

import gzip
import io
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from charter.models import CharterSection
from directory.models import AddictionType, Meeting, Movement
from tests.entraide.test_gunicorn import ROOT, collected_static, environment, free_port, gunicorn  # noqa: F401
from tests.entraide.test_shared_state import TEST_REDIS_URL, needs_redis
from tests.factories import make_group, make_meeting, make_venue
from tests.helpers import admin_form_data

PARIS = ZoneInfo("Europe/Paris")
# Database 5 of the local Redis is this module's (flushed by its tests).
PAGE_REDIS_URL = TEST_REDIS_URL.rsplit("/", 1)[0] + "/5"
CSV_HEADER = (
    "groupe_id;groupe;intitule;type;public;frequence;intervalle;jour;positions;premiere_date;heure_debut;heure_fin;"
    "statut;modalite;lieu;adresse;code_postal;code_insee;commune;lien_visio;telephone;langues;informations;publie\n"
)
CSV_ROW = (
    ";Vie Libre Reims;Réunion importée;groupe-de-parole;tous;weekly;1;mardi;;;20:00;22:00;active;presentiel;"
    "Maison de quartier;12 rue Ponsardin;51100;51454;Reims;;;fr;;oui\n"
)


@pytest.fixture(autouse=True)
def page_cache(settings, pages_rendered_each_time):
    settings.PAGE_CACHE_SECONDS = 300


def stored_pages():
    """The keys of the pages the page cache holds (the data's version aside)."""
    shared = caches["pages"]
    if hasattr(shared, "_cache"):  # Redis
        keys = [key.decode() for key in shared._cache.get_client().keys("pages:*")]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM entraide_page_cache")
            keys = [row[0] for row in cursor.fetchall()]
    return [key for key in keys if "page:" in key]


def forget_pages():
    """Remove the stored pages, keeping the data's version."""
    caches["pages"].delete_many(["page:" + key.rsplit("page:", 1)[1] for key in stored_pages()])


def queries_of_head(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.head(url)
    return response, len(queries)


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.mark.django_db
def test_a_second_visit_is_answered_from_the_cache_with_one_query_and_a_short_public_max_age(client):
    meeting = make_meeting(name="Réunion témoin")
    url = f"/reunions/{meeting.pk}/"

    first, rendering = queries_of(client, url)
    second, cached = queries_of(client, url)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content and "Réunion témoin" in second.text
    # The database cache: the version and the page in one query; the rendering took many more.
    assert cached == 1 and rendering > 3
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] in {f"public, max-age={age}" for age in range(61)}
    assert second["Content-Type"] == "text/html; charset=utf-8" and second["Content-Language"] == "fr"
    assert second["X-Frame-Options"] == "DENY" and "default-src 'self'" in second["Content-Security-Policy"]
    assert len(stored_pages()) == 1


@pytest.mark.django_db
def test_a_visitor_holding_the_page_gets_a_304_without_it_being_rendered(client):
    make_meeting()
    etag = client.get("/reunions/")["ETag"]
    forget_pages()  # even once the page has left the cache: the ETag names the version

    response, count = queries_of(client, "/reunions/", if_none_match=etag)

    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Cache-Control"].startswith("public, max-age=")
    assert count <= 3  # the version (drawn again after the clear), never the finder's queries
    assert client.get("/reunions/", headers={"if-none-match": '"autre"'}).status_code == 200


@pytest.mark.django_db
def test_cached_pages_are_still_compressed_for_who_asks_and_revalidate_with_the_weak_etag(client):
    make_meeting()
    plain = client.get("/reunions/")
    compressed = client.get("/reunions/", headers={"accept-encoding": "gzip"})

    assert compressed["Content-Encoding"] == "gzip" and compressed["Vary"] == "Accept-Encoding"
    assert gzip.decompress(compressed.content) == plain.content
    assert compressed["ETag"] == "W/" + plain["ETag"]
    revalidated = client.get("/reunions/", headers={"accept-encoding": "gzip", "if-none-match": compressed["ETag"]})
    assert revalidated.status_code == 304


@pytest.mark.django_db
def test_each_query_string_and_each_language_is_a_page_of_its_own(client):
    make_meeting()
    pages = ["/reunions/?jour=mardi", "/reunions/?jour=lundi", "/de/reunions/?jour=mardi", "/en/reunions/?jour=mardi"]
    first = {url: client.get(url) for url in pages}
    again = {url: client.get(url) for url in pages}

    assert len({response["ETag"] for response in first.values()}) == 4 and len(stored_pages()) == 4
    assert [again[url].content == first[url].content for url in pages] == [True] * 4
    assert [again[url]["Content-Language"] for url in pages] == ["fr", "fr", "de", "en"]
    assert 'lang="de"' in again["/de/reunions/?jour=mardi"].text
    assert again["/reunions/?jour=mardi"].text != again["/reunions/?jour=lundi"].text


@pytest.mark.django_db
def test_a_meeting_saved_through_the_orm_or_deleted_changes_the_pages(client):
    group = make_group()
    meeting = make_meeting(group=group, venue=make_venue(name="Salle Témoin"), name="Réunion du mardi")
    group_page, meeting_page = f"/groupes/{group.pk}/", f"/reunions/{meeting.pk}/"
    assert "Salle Témoin" in client.get(group_page).text and "Réunion du mardi" in client.get(meeting_page).text

    meeting.name = "Réunion renommée"
    meeting.save()
    assert "Réunion renommée" in client.get(meeting_page).text

    meeting.delete()
    assert "Salle Témoin" not in client.get(group_page).text
    assert client.get(meeting_page).status_code == 404


@pytest.mark.django_db
def test_the_charter_and_a_movements_links_change_their_pages(client):
    section = CharterSection.objects.order_by("position").first()
    assert client.get("/charte/").status_code == 200
    section.title = "Nos valeurs, réécrites"
    section.save()
    assert "Nos valeurs, réécrites" in client.get("/charte/").text

    movement = Movement.objects.get(slug="vie-libre")
    url = movement.get_absolute_url()
    assert "jeux" not in client.get(url).text.split("Addictions :")[1].split("</p>")[0]
    movement.addictions.add(AddictionType.objects.get(slug="jeux"))  # a many-to-many link: no save of either row
    assert "jeux" in client.get(url).text.split("Addictions :")[1].split("</p>")[0]


@pytest.mark.django_db
def test_a_page_stored_while_a_change_was_being_committed_is_retired_by_the_commit(
    client, django_capture_on_commit_callbacks
):
    meeting = make_meeting(name="Avant")
    url = f"/reunions/{meeting.pk}/"
    connection.run_on_commit.clear()  # as if the set-up had been committed (the test's transaction never is)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for name in ["Pendant", "Toujours pendant"]:  # one retirement at commit, however many rows
            meeting.name = name
            meeting.save()
        # Another worker would read the rows as they were before the commit, and store that page.
        client.get(url)
        _, cached = queries_of(client, url)
    _, after_commit = queries_of(client, url)

    assert len(callbacks) == 1 and cached == 1 and after_commit > 3


@pytest.mark.django_db
def test_a_meeting_edited_in_the_admin_changes_the_page_visitors_get(as_user, world):
    visitor = Client()
    url = f"/reunions/{world.vl_meeting.pk}/"
    etag = visitor.get(url)["ETag"]
    assert "Réunion VL" in visitor.get(url).text

    admin = as_user(world.admin)
    change = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    response = admin.post(change, admin_form_data(admin.get(change), name="Réunion VL déplacée"))
    assert response.status_code == 302

    assert visitor.get(url, headers={"if-none-match": etag}).status_code == 200
    assert "Réunion VL déplacée" in visitor.get(url).text


@pytest.mark.django_db
def test_the_scheduled_refresh_of_next_occurrences_reorders_cached_lists(client):
    group = make_group()
    first = make_meeting(group=group, venue=make_venue(name="Salle A"), weekday=Meeting.Weekday.TUESDAY)
    make_meeting(group=group, venue=make_venue(name="Salle B"), weekday=Meeting.Weekday.THURSDAY)
    url = f"/groupes/{group.pk}/"
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False):  # a Monday
        html = client.get(url).text
        assert html.index("Salle A") < html.index("Salle B")
        # A bulk write sends no signal: the cached list stays as it was…
        Meeting.objects.filter(pk=first.pk).update(weekday=Meeting.Weekday.SATURDAY)
        html = client.get(url).text
        assert html.index("Salle A") < html.index("Salle B")
        # … until the cron job stores the new next occurrences, which retires the version.
        call_command("refresh_next_occurrences", stdout=io.StringIO())
        html = client.get(url).text
        assert html.index("Salle B") < html.index("Salle A")


@pytest.mark.django_db
def test_an_import_changes_the_finder_pages(client, tmp_path):
    url = "/reunions/?departement=51"
    assert "Vie Libre Reims" not in client.get(url).text
    path = tmp_path / "vie-libre.csv"
    path.write_text(CSV_HEADER + CSV_ROW, encoding="utf-8")

    call_command("import_meetings", "--format", "csv", "--movement", "vie-libre", str(path), stdout=io.StringIO())

    assert "Vie Libre Reims" in client.get(url).text


@pytest.mark.django_db
def test_time_slices_follow_the_clock_and_browsers_never_keep_a_page_past_its_slice(client):
    make_meeting()
    with time_machine.travel(datetime(2026, 11, 24, 19, 59, 30, tzinfo=PARIS), tick=False) as clock:
        before = client.get("/reunions/?quand=en-cours")
        assert before["Cache-Control"] == "public, max-age=30"
        clock.move_to(datetime(2026, 11, 24, 20, 0, 0, tzinfo=PARIS))
        after, count = queries_of(client, "/reunions/?quand=en-cours", if_none_match=before["ETag"])
    # 20:00: a new slice, rendered again (the Tuesday 20:00 meeting is now running).
    assert after.status_code == 200 and count > 3
    assert after["ETag"] != before["ETag"] and after["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
def test_a_logged_in_user_neither_gets_nor_stores_a_cached_page(as_user, world):
    visitor = Client()
    visitor.get("/reunions/")
    stored = stored_pages()
    client = as_user(world.vl_coord)

    response, count = queries_of(client, "/reunions/")

    assert response.status_code == 200 and count > 3
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")
    assert stored_pages() == stored


@pytest.mark.django_db
def test_head_is_answered_from_a_stored_get_and_stores_nothing_itself(client):
    make_meeting()
    assert client.head("/reunions/").status_code == 200 and stored_pages() == []
    etag = client.get("/reunions/")["ETag"]

    response, count = queries_of_head(client, "/reunions/")

    assert response.status_code == 200 and response["ETag"] == etag and count == 1


@pytest.mark.django_db
def test_a_visitor_with_a_message_waiting_gets_a_live_page(client):
    make_meeting()
    client.get("/reunions/")
    client.cookies["messages"] = "un message en attente"

    response, count = queries_of(client, "/reunions/")

    assert response.status_code == 200 and count > 3 and "ETag" not in response


@pytest.mark.django_db
def test_the_report_form_is_never_cached(client):
    url = f"/reunions/{make_meeting().pk}/signaler/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and "csrfmiddlewaretoken" in response.text
        assert "ETag" not in response and "public" not in response.get("Cache-Control", "")
    assert stored_pages() == []


@pytest.mark.django_db
def test_errors_and_a_visitors_position_are_never_stored(client):
    make_meeting()
    invalid = client.get("/reunions/?jour=jamais")
    near_me = client.get("/reunions/?lat=48.69&lon=6.18")

    assert invalid.status_code == 400 and "ETag" not in invalid
    assert near_me.status_code == 200 and "ETag" not in near_me
    assert client.get("/reunions/999999/").status_code == 404
    assert stored_pages() == []


@pytest.mark.django_db
def test_page_cache_seconds_zero_turns_it_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_meeting()
    client.get("/reunions/")

    response, count = queries_of(client, "/reunions/")

    assert count > 3 and "ETag" not in response and "Cache-Control" not in response
    assert stored_pages() == []


@pytest.fixture
def redis_pages(settings):
    import redis

    server = redis.Redis.from_url(PAGE_REDIS_URL)
    server.flushdb()
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": PAGE_REDIS_URL}
    settings.CACHES = {**settings.CACHES, "pages": {**redis_cache, "KEY_PREFIX": "pages"}}
    yield server
    server.flushdb()


@needs_redis
@pytest.mark.django_db
def test_with_redis_a_cached_page_costs_no_query_and_follows_the_data(client, redis_pages):
    meeting = make_meeting(name="Réunion à Redis")
    url = f"/reunions/{meeting.pk}/"
    first = client.get(url)

    second, count = queries_of(client, url)

    assert count == 0 and second.content == first.content and len(stored_pages()) == 1
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    meeting.name = "Réunion modifiée"
    meeting.save()
    assert "Réunion modifiée" in client.get(url).text


@pytest.mark.django_db
def test_a_redis_gone_after_start_up_only_turns_the_page_cache_off(client, settings, caplog):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "pages": unreachable}
    meeting = make_meeting(name="Réunion sans cache")  # the version cannot be retired: logged, not raised

    response = client.get(f"/reunions/{meeting.pk}/")

    assert response.status_code == 200 and "Réunion sans cache" in response.text and "ETag" not in response
    assert {record.name for record in caplog.records if record.exc_info} == {
        "directory.versioning",
        "entraide.http_cache",
    }


def test_through_gunicorn_a_page_is_stored_once_and_revalidated_with_a_304(tmp_path):
    env = environment(tmp_path, PORT=str(free_port()), WEB_CONCURRENCY="2")
    for command in (["migrate", "--noinput"], ["loaddata", "fixtures/territories.json", "fixtures/movements.json"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    headers = {"Host": "entraide.example.org", "X-Forwarded-Proto": "https"}
    url = f"http://127.0.0.1:{env['PORT']}/mouvements/"
    with gunicorn(env):
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            etag, body = response.headers["ETag"], response.read()
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            assert response.read() == body and response.headers["ETag"] == etag
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(urllib.request.Request(url, headers={**headers, "If-None-Match": etag}), timeout=30)
    assert answer.value.code == 304
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        assert database.execute("SELECT count(*) FROM entraide_page_cache").fetchone()[0] == 2  # version and page


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "300 django.core.cache.backends.db.DatabaseCache entraide_page_cache"),
        (
            {"PAGE_CACHE_SECONDS": "0", "REDIS_URL": PAGE_REDIS_URL},
            f"0 django.core.cache.backends.redis.RedisCache {PAGE_REDIS_URL}",
        ),
    ],
)
def test_the_slice_comes_from_page_cache_seconds_and_pages_are_shared_by_every_process(env, expected):
    code = (
        "from django.conf import settings; pages = settings.CACHES['pages']; "
        "print(settings.PAGE_CACHE_SECONDS, pages['BACKEND'], pages['LOCATION'])"
    )
    environment = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "PAGE_CACHE_SECONDS"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == expected, result.stderr
