"""The report rate limit is shared by every worker and replica: in the database, or in Redis when REDIS_URL is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from directory.models import ChangeRequest
from tests.factories import make_coordinator, make_meeting
from tests.helpers import stored_cache_keys

ROOT = Path(__file__).resolve().parents[2]
# A real Redis (database 15, flushed by these tests); mandatory in CI, skipped elsewhere when absent.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
MESSAGE = "La réunion a lieu désormais le jeudi soir."


def redis_answers(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(
    not os.environ.get("CI") and not redis_answers(TEST_REDIS_URL), reason=f"Redis injoignable sur {TEST_REDIS_URL}"
)


def submit_reports(client, settings, count):
    settings.CHANGE_REQUEST_RATE_LIMIT = 2
    url = f"/reunions/{make_meeting().pk}/signaler/"
    return [client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(count)]


def manage_check(pythonpath=None, **env):
    environment = {**os.environ, **env}
    if pythonpath:
        environment["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(ROOT)])
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        (TEST_REDIS_URL, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_shared_by_processes_never_a_per_process_memory(redis_url, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    if redis_url:
        environment["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == backend, result.stderr


@pytest.mark.django_db
def test_without_redis_the_rate_limit_is_counted_in_the_database(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": settings.CACHE_TABLE}
    }
    cache.clear()
    assert submit_reports(client, settings, 3) == [302, 302, 429]
    assert ChangeRequest.objects.count() == 2
    # Every worker and replica reads this table: the allowance is one per address, not one per process.
    keys = stored_cache_keys()
    assert len(keys) == 1 and "203.0.113.7" not in keys[0]


@needs_redis
@pytest.mark.django_db
def test_with_redis_a_real_report_is_accepted_then_rate_limited(client, settings, mailoutbox):
    settings.REDIS_URL = TEST_REDIS_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}
    }
    cache.clear()
    make_coordinator("vie-libre", username="coord_vl")
    try:
        assert submit_reports(client, settings, 3) == [302, 302, 429]
        assert ChangeRequest.objects.count() == 2 and len(mailoutbox) == 2
        keys = stored_cache_keys()
        assert len(keys) == 1 and "203.0.113.7" not in keys[0]
    finally:
        cache.clear()


@pytest.mark.django_db
def test_a_redis_gone_after_start_up_does_not_turn_reports_into_errors(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert submit_reports(client, settings, 1) == [302]
    assert ChangeRequest.objects.count() == 1
    assert any(record.name == "directory.views" and record.exc_info for record in caplog.records)


def test_check_fails_at_start_up_when_redis_is_unreachable():
    result = manage_check(REDIS_URL="redis://:secret@127.0.0.1:1/0")
    assert result.returncode != 0
    assert "entraide.E002" in result.stderr and "Redis injoignable à redis://:***@127.0.0.1:1/0" in result.stderr
    assert "secret" not in result.stderr


def test_check_fails_at_start_up_when_the_redis_client_is_missing(tmp_path):
    # A `redis` package that cannot be imported, ahead of the installed one on the path.
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "__init__.py").write_text("raise ImportError(\"No module named 'redis'\")\n")
    result = manage_check(pythonpath=tmp_path, REDIS_URL=TEST_REDIS_URL)
    assert result.returncode != 0
    assert "entraide.E001" in result.stderr and "client Python « redis » n'est pas installé" in result.stderr


@needs_redis
def test_check_passes_with_a_reachable_redis():
    result = manage_check(REDIS_URL=TEST_REDIS_URL)
    assert result.returncode == 0, result.stderr


def test_check_passes_without_redis():
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
