import pytest
from django.core.management import call_command

REFERENCE_FIXTURES = ["fixtures/territories.json", "fixtures/movements.json", "fixtures/charter.json"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once per test database; each test then rolls back."""
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture
def world(db):
    """Two coordinators of different movements, an observer, a regional administrator, and their data."""
    from tests import factories as f

    class World:
        pass

    w = World()
    w.vl_coord = f.make_coordinator("vie-libre", username="coord_vl")
    w.cb_coord = f.make_coordinator("croix-bleue", username="coord_cb")
    w.observer = f.make_coordinator("vie-libre", "croix-bleue", role="observateur", username="ars")
    w.admin = f.make_regional_admin(username="admin_region")
    w.vl = f.get_movement("vie-libre")
    w.cb = f.get_movement("croix-bleue")
    w.vl_group = f.make_group("vie-libre", name="Vie Libre Nancy")
    w.cb_group = f.make_group("croix-bleue", insee=f.METZ, name="Croix-Bleue Metz")
    w.vl_meeting = f.make_meeting(group=w.vl_group, name="Réunion VL")
    w.cb_meeting = f.make_meeting(group=w.cb_group, name="Réunion CB")
    return w


@pytest.fixture
def as_user(client):
    """Log a user in, second factor passed (force_login: axes requires a request for real logins)."""

    def login(user):
        client.force_login(user)
        if user.is_staff:
            # As after a real login with a second factor (entraide.two_factor): administrators must have one.
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_static.models import StaticDevice

            device = StaticDevice.objects.get_or_create(user=user, name="tests")[0]
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def pages_rendered_each_time(settings):
    """Each request renders its page: tests measure the views (queries, content) and change data between requests.

    The page cache (entraide/http_cache.py) is on in production and in tests/entraide/test_http_cache.py.
    """
    settings.PAGE_CACHE_SECONDS = 0
