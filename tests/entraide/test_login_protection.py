"""Login protection: django-axes lockout per username and IP address, sessions."""

import pytest
from django.conf import settings

from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "Mot-de-passe-long-42"


def attempt(client, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": "coord", "password": password}, REMOTE_ADDR=ip)


def test_a_coordinator_logs_in_with_the_right_password(client):
    make_coordinator("vie-libre", username="coord")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_repeated_failures_lock_the_username_out_from_that_address_only(client):
    make_coordinator("vie-libre", username="coord")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "mauvais").status_code == 200
    response = attempt(client, "mauvais")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "bloquée pendant 30 minutes." in response.content.decode()  # not "0:30:00"
    # Even the right password is refused from there…
    assert attempt(client, PASSWORD).status_code == 429
    # …but the coordinator can still log in from elsewhere: an attacker cannot lock them out everywhere.
    assert attempt(client, PASSWORD, ip="198.51.100.20").status_code == 302


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


@pytest.mark.parametrize(
    ("minutes", "words"), [(1, "1 minute"), (30, "30 minutes"), (60, "1 heure"), (150, "2 heures 30 minutes")]
)
def test_lockout_durations_read_in_french(minutes, words):
    from datetime import timedelta

    from directory.templatetags.durations import duree

    assert duree(timedelta(minutes=minutes)) == words
