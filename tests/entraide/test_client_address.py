"""One client address behind PROXY_COUNT proxies, for the login lockout, the report rate limit and the logs."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from directory.http import ClientAddressFilter
from directory.models import ChangeRequest
from tests.factories import make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "Mot-de-passe-long-42"
PROXY = "10.0.0.2"
ALICE, BOB = "203.0.113.7", "198.51.100.20"
MESSAGE = "La réunion a lieu désormais le jeudi soir."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, password, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": "coord", "password": password}, **extra)


def report(client, url, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(url, {"message": MESSAGE}, **extra).status_code


@pytest.fixture
def report_url(settings):
    settings.CHANGE_REQUEST_RATE_LIMIT = 1
    return f"/reunions/{make_meeting().pk}/signaler/"


def test_without_proxy_a_forged_forwarded_for_does_not_buy_a_new_allowance(client, settings, report_url):
    settings.PROXY_COUNT = 0
    assert report(client, report_url, forwarded="192.0.2.1", remote=ALICE) == 302
    assert report(client, report_url, forwarded="192.0.2.2", remote=ALICE) == 429
    assert ChangeRequest.objects.count() == 1


def test_behind_one_proxy_each_visitor_has_their_own_report_allowance(client, settings, report_url):
    settings.PROXY_COUNT = 1
    assert report(client, report_url, forwarded=ALICE) == 302
    assert report(client, report_url, forwarded=BOB) == 302
    assert report(client, report_url, forwarded=ALICE) == 429


def test_behind_one_proxy_entries_forged_before_the_proxys_own_are_ignored(client, settings, report_url):
    settings.PROXY_COUNT = 1
    assert report(client, report_url, forwarded=f"192.0.2.1, {ALICE}") == 302
    assert report(client, report_url, forwarded=f"192.0.2.99, {ALICE}") == 429


def test_behind_one_proxy_a_lockout_is_per_visitor_not_for_everyone_behind_the_proxy(client, settings):
    settings.PROXY_COUNT = 1
    make_coordinator("vie-libre", username="coord")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "mauvais", forwarded=ALICE)
    assert login(client, PASSWORD, forwarded=ALICE).status_code == 429
    # The coordinator, arriving through the same proxy from their own address, is not locked out.
    assert login(client, PASSWORD, forwarded=BOB).status_code == 302


def test_behind_one_proxy_forging_forwarded_for_does_not_escape_a_lockout(client, settings):
    settings.PROXY_COUNT = 1
    make_coordinator("vie-libre", username="coord")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "mauvais", forwarded=f"192.0.2.{attempt}, {ALICE}")
    assert login(client, PASSWORD, forwarded=f"192.0.2.200, {ALICE}").status_code == 429


@pytest.mark.parametrize("forwarded", ["pas-une-adresse", "", " , ", "203.0.113.7:4444", "<script>"])
def test_a_malformed_forwarded_for_falls_back_to_the_proxy_address(client, settings, forwarded):
    settings.PROXY_COUNT = 1
    make_coordinator("vie-libre", username="coord")
    assert login(client, "mauvais", forwarded=forwarded).status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == PROXY


def test_failures_during_a_lockout_do_not_prolong_it(client, settings):
    make_coordinator("vie-libre", username="coord")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "mauvais", remote=ALICE)
        # An attacker keeps trying every few minutes during the lockout…
        for _ in range(5):
            clock.shift(timedelta(minutes=5))
            assert login(client, "mauvais", remote=ALICE).status_code == 429
        # …yet the lockout ends AXES_COOLOFF_TIME after it began.
        clock.move_to(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert login(client, PASSWORD, remote=ALICE).status_code == 302


@pytest.fixture
def console_log():
    """What the console handler of LOGGING writes, captured."""
    handlers = logging.getLogger().handlers
    handler = next(h for h in handlers if any(isinstance(f, ClientAddressFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_logs_name_the_visitor_as_the_lockout_sees_them(client, settings, console_log):
    settings.PROXY_COUNT = 1
    client.get("/reunions/999999/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ALICE}")
    line = next(line for line in console_log.getvalue().splitlines() if "/reunions/999999/" in line)
    assert f"[{ALICE}]" in line and "192.0.2.1" not in line


def test_an_absurdly_long_username_is_a_failed_login_not_an_error(client, settings):
    make_coordinator("vie-libre", username="coord")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": "x" * 5000, "password": "mauvais"}, REMOTE_ADDR=ALICE)
    assert response.status_code == 429
    # The coordinator's own username is not affected.
    assert login(client, PASSWORD, remote=ALICE).status_code == 302
