"""Production behaviour: headers, the admin's path, body limits, /healthz, empty parameters, cheap HEAD."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from directory.models import ChangeRequest
from tests.factories import make_meeting

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "La réunion a lieu désormais le jeudi soir."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/reunions/", "/reunions/export.csv", "/healthz", "/admin/login/", "/nulle-part/", "/robots.txt"]
)
def test_every_response_has_a_permissions_policy(client, url):
    policy = client.get(url)["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=(self)" in policy


@pytest.fixture
def admin_url(settings):
    """Serve the admin at another path (as ADMIN_URL does at start-up), then put it back."""
    import entraide.urls

    original = settings.ADMIN_URL

    def move(path):
        settings.ADMIN_URL = path
        importlib.reload(entraide.urls)
        clear_url_caches()

    yield move
    move(original)


@pytest.mark.django_db
def test_the_admin_path_is_configurable_and_not_advertised(client, admin_url):
    admin_url("gestion-7f3a/")
    assert client.get("/gestion-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert "gestion" not in robots and "admin" not in robots


@pytest.mark.django_db
def test_the_public_report_form_refuses_a_3_mb_multipart_body(client):
    url = f"/reunions/{make_meeting().pk}/signaler/"
    big = b"x" * (3 * 1024 * 1024)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"message": MESSAGE, "piece": SimpleUploadedFile("gros.bin", big)})
    assert response.status_code == 413
    assert "Requête trop volumineuse" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    # An ordinary report still goes through.
    assert client.post(url, {"message": MESSAGE}).status_code == 302


@pytest.mark.django_db
def test_the_body_limit_leaves_the_admin_to_djangos_own_limits(client):
    response = client.post("/admin/login/", {"username": "x", "password": "y", "padding": "z" * 100_000})
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "database_url", ["postgres://postgres@127.0.0.1:1/absente", "sqlite:////nulle-part/absente/db.sqlite3"]
)
def test_healthz_answers_503_when_the_database_is_down(database_url):
    code = "import django; django.setup(); from django.test import Client; print(Client().get('/healthz').status_code)"
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "entraide.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "503", result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/reunions/",
        "/reunions/export.csv",
        "/reunions/agenda.ics",
        "/donnees/meeting-guide.json",
    ],
)
def test_empty_parameters_are_ignored_by_the_finder_and_exports(client, world, url):
    empty = client.get(url + "?departement=&jour=&moment=&public=&addiction=&mouvement=&type=&modalite=&q=")
    assert empty.status_code == 200
    plain = client.get(url)
    body = b"".join(empty.streaming_content) if empty.streaming else empty.content
    plain_body = b"".join(plain.streaming_content) if plain.streaming else plain.content
    if not url.endswith("/"):  # HTML pages echo the query string in links; the data must be identical
        assert body == plain_body


@pytest.mark.django_db
def test_empty_values_beside_real_ones_keep_the_real_ones(client, world):
    response = client.get("/reunions/export.csv?mouvement=&mouvement=croix-bleue")
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "Croix-Bleue Metz" in body and "Vie Libre Nancy" not in body


def wsgi(method, path):
    """Call the application as a WSGI server does, and read the whole body it returns (even for HEAD)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    status = []
    # As Django's test client does: the test's transaction must survive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as queries:
            result = get_wsgi_application()(environ, lambda code, headers: status.append(code))
            body = b"".join(result)
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return status[0], body, len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reunions/export.csv", "/reunions/agenda.ics", "/donnees/hsds.zip"])
def test_head_on_an_export_does_not_build_the_body(world, path):
    get_status, get_body, get_queries = wsgi("GET", path)
    head_status, head_body, head_queries = wsgi("HEAD", path)
    assert get_status.startswith("200") and head_status.startswith("200")
    assert get_body and head_body == b""
    assert head_queries < get_queries
