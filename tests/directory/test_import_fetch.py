"""Safe fetching of a source's URL: schemes, private addresses, redirects, size."""

import io

import pytest
from django.core.management import call_command

from directory.importers.fetch import FetchError, fetch
from directory.models import Source
from tests import factories as f
from tests.directory.import_samples import serve


@pytest.fixture
def allow_local(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.json",
        "http://[::1]/x",
        "http://169.254.169.254/latest/",
        "http://10.1.2.3/",
        "http://localhost/",
    ],
)
def test_private_addresses_are_refused_under_production_settings(settings, url):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = False

    with pytest.raises(FetchError, match="adresse privée ou locale"):
        fetch(url)


def test_a_local_server_is_refused_by_default_even_when_it_answers():
    with serve({"/x.json": (200, {}, "[]")}) as base, pytest.raises(FetchError, match="adresse privée"):
        fetch(f"{base}/x.json")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/"])
def test_only_http_and_https_are_accepted(url):
    with pytest.raises(FetchError, match="Seules les adresses http et https"):
        fetch(url)


def test_it_follows_a_redirect_on_the_same_scheme(allow_local):
    with serve({"/old": (301, {"Location": "/new"}, ""), "/new": (200, {}, "[1]")}) as base:
        assert fetch(f"{base}/old") == b"[1]"


def test_a_redirect_to_another_scheme_is_refused(allow_local):
    routes = {"/old": (302, {"Location": "file:///etc/passwd"}, "")}
    with serve(routes) as base, pytest.raises(FetchError, match="autre protocole"):
        fetch(f"{base}/old")


def test_a_redirect_loop_stops(allow_local):
    with serve({"/loop": (302, {"Location": "/loop"}, "")}) as base, pytest.raises(FetchError, match="redirections"):
        fetch(f"{base}/loop")


def test_a_response_over_the_size_limit_is_refused(allow_local):
    with serve({"/big": (200, {}, b"x" * 2048)}) as base, pytest.raises(FetchError, match="trop volumineuse"):
        fetch(f"{base}/big", max_bytes=1024)


def test_an_unreachable_server_is_an_error_not_a_crash(allow_local):
    with pytest.raises(FetchError, match="Téléchargement impossible"):
        fetch("http://127.0.0.1:9/x.json")


@pytest.mark.django_db
def test_a_source_on_a_private_address_is_an_error_on_the_source(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    with serve({"/x.json": (200, {}, "[]")}) as base:
        source = Source.objects.create(
            movement=f.get_movement("narcotiques-anonymes"), name="NA", kind="bmlt", url=f"{base}/x.json"
        )
        call_command("sync_sources", stdout=io.StringIO())

    source.refresh_from_db()
    assert source.status == Source.Status.ERROR
    assert "adresse privée ou locale" in source.last_report["error"]
