"""State shared by every worker and replica: the cache (Redis when REDIS_URL is set, else a database table) and the
report rate limit (always counted in the database, which increments atomically)."""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from directory.models import ChangeRequest, ReportAllowance
from tests.factories import make_coordinator, make_meeting

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
def test_the_rate_limit_is_counted_in_the_database_under_a_keyed_hash(client, settings):
    assert submit_reports(client, settings, 3) == [302, 302, 429]
    assert ChangeRequest.objects.count() == 2
    # Every worker and replica reads this table: the allowance is one per address, not one per process.
    allowance = ReportAllowance.objects.get()
    assert allowance.count == 3 and "203.0.113.7" not in allowance.key


@pytest.mark.django_db
def test_an_allowance_starts_again_once_its_hour_is_over(client, settings):
    assert submit_reports(client, settings, 3) == [302, 302, 429]
    ReportAllowance.objects.update(window_start=timezone.now() - timedelta(minutes=61))
    assert submit_reports(client, settings, 1) == [302]
    assert ReportAllowance.objects.get().count == 1


@pytest.mark.django_db
def test_expired_allowances_are_deleted_when_the_next_report_comes(client, settings):
    old = ReportAllowance.objects.create(key="x" * 32, window_start=timezone.now() - timedelta(hours=2), count=4)
    assert submit_reports(client, settings, 1) == [302]
    assert not ReportAllowance.objects.filter(pk=old.pk).exists()


@pytest.mark.skipif(os.environ.get("DATABASE_URL") is None, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_reports_counted_at_the_same_instant_each_get_their_own_number():
    # Twelve workers counting at once: a get-then-set counter would give some of them the same number.
    barrier = threading.Barrier(12)

    def spend():
        barrier.wait()
        try:
            return ReportAllowance.objects.spend("same-visitor", timedelta(hours=1))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        counts = list(pool.map(lambda _: spend(), range(12)))
    assert sorted(counts) == list(range(1, 13))
    assert ReportAllowance.objects.get(key="same-visitor").count == 12


@needs_redis
@pytest.mark.django_db
def test_with_redis_a_real_report_is_accepted_then_rate_limited(client, settings, mailoutbox):
    settings.REDIS_URL = TEST_REDIS_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}
    }
    make_coordinator("vie-libre", username="coord_vl")
    assert submit_reports(client, settings, 3) == [302, 302, 429]
    assert ChangeRequest.objects.count() == 2 and len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_redis_gone_after_start_up_does_not_stop_reports(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert submit_reports(client, settings, 3) == [302, 302, 429]
    assert ChangeRequest.objects.count() == 2


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
