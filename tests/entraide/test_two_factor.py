"""Two-factor login for staff, through real HTTP with real TOTP codes (entraide.two_factor)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_coordinator, make_regional_admin

pytestmark = pytest.mark.django_db

PASSWORD = "Mot-de-passe-long-42"
LOGIN = "/admin/login/?next=/admin/"
ENROL = "/admin/double-authentification/"
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def code_of(device):
    """What the phone's application shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def log_in(client, username, token=""):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "otp_token": token})


def enrol(client, clock):
    """Scan, confirm with the application's code; returns the device and the recovery codes shown."""
    page = client.get(ENROL)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(ENROL, {"token": code_of(device), "confirm": "1"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def reaches_admin(client):
    return client.get("/admin/directory/group/").status_code == 200


def test_an_administrator_without_a_second_factor_is_sent_to_enrolment_and_reaches_nothing_else(client, clock):
    make_regional_admin(username="region")
    assert log_in(client, "region").status_code == 302
    assert not reaches_admin(client)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == ENROL
    assert "double authentification" in response.content.decode()


def test_the_whole_flow_enrol_then_log_in_with_the_app_then_with_a_recovery_code(client, clock):
    make_regional_admin(username="region")
    log_in(client, "region")
    client.get(ENROL)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(ENROL, {"token": wrong(code_of(device)), "confirm": "1"})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()
    assert not reaches_admin(client)
    clock.shift(timedelta(seconds=31))  # the next code, past the throttle of the failed attempt
    device, codes = enrol(client, clock)
    assert reaches_admin(client)
    # The codes are shown once.
    assert codes[0] not in client.get(ENROL).content.decode()
    client.post("/admin/logout/")

    clock.shift(timedelta(seconds=30))
    response = log_in(client, "region")
    assert response.status_code == 200 and "Code de vérification manquant ou incorrect" in response.content.decode()
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", wrong(code_of(device))).status_code == 200
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", code_of(device)).status_code == 302
    assert reaches_admin(client)
    client.post("/admin/logout/")

    # The phone is lost: a recovery code replaces the application's code, once.
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", codes[3].upper()).status_code == 302
    assert reaches_admin(client)
    client.post("/admin/logout/")
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", codes[3]).status_code == 200
    assert not reaches_admin(client)


def test_the_same_application_code_cannot_be_used_twice(client, clock):
    make_regional_admin(username="region")
    log_in(client, "region")
    device, _ = enrol(client, clock)
    client.post("/admin/logout/")
    # Still within the 30 s step of the code used to enrol.
    assert log_in(client, "region", code_of(device)).status_code == 200


def test_a_password_only_session_of_an_administrator_reaches_no_admin_page(client, clock):
    admin = make_regional_admin(username="region")
    client.force_login(admin)
    assert not reaches_admin(client)
    assert client.get("/admin/directory/group/")["Location"].startswith("/admin/login/")


def test_a_coordinator_needs_no_second_factor_by_default_but_may_enrol_and_must_then_use_it(client, clock):
    assert settings.OTP_REQUIRED_FOR_COORDINATORS is False
    make_coordinator("vie-libre", username="coord")
    assert log_in(client, "coord").status_code == 302
    assert reaches_admin(client)
    assert 'href="/admin/double-authentification/"' in client.get("/admin/").content.decode()
    device, _ = enrol(client, clock)
    client.post("/admin/logout/")
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "coord").status_code == 200
    assert log_in(client, "coord", code_of(device)).status_code == 302
    assert reaches_admin(client)


def test_a_setting_makes_it_mandatory_for_coordinators_not_observers(client, clock, settings):
    settings.OTP_REQUIRED_FOR_COORDINATORS = True
    make_coordinator("vie-libre", username="coord")
    make_coordinator("vie-libre", username="ars", role="observateur")
    log_in(client, "coord")
    assert not reaches_admin(client)
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == ENROL
    enrol(client, clock)
    assert reaches_admin(client)
    client.post("/admin/logout/")
    assert log_in(client, "ars").status_code == 302
    assert reaches_admin(client)


def test_guessing_codes_ends_in_the_login_lockout(client, clock):
    make_regional_admin(username="region")
    log_in(client, "region")
    device, _ = enrol(client, clock)
    client.post("/admin/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        clock.shift(timedelta(seconds=30))
        assert log_in(client, "region", wrong(code_of(device))).status_code == 200
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", wrong(code_of(device))).status_code == 429
    clock.shift(timedelta(seconds=30))
    assert log_in(client, "region", code_of(device)).status_code == 429


def test_an_unenrolled_user_may_log_out_from_the_enrolment_page(client, clock):
    make_regional_admin(username="region")
    log_in(client, "region")
    response = client.post(ENROL, {"logout": "1"})
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert client.get(ENROL)["Location"].startswith("/admin/login/")
