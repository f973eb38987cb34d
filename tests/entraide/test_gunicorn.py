"""The production server as the Dockerfile runs it: gunicorn.conf.py, its environment, its health check.

These tests start real gunicorn servers on free loopback ports (SQLite file
database), with the production settings, and stop them afterwards.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-real-secret-for-the-gunicorn-tests-" + "k" * 30,
    "ALLOWED_HOSTS": "entraide.example.org",
}


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


STATIC = {}


@pytest.fixture(scope="module", autouse=True)
def collected_static(tmp_path_factory):
    """Static files collected as the image does: the manifest storage refuses to render without them."""
    folder = tmp_path_factory.mktemp("staticfiles")
    STATIC["root"] = str(folder)
    env = environment(folder)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    yield folder
    STATIC.clear()


def environment(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", HOME=str(tmp_path), **extra)
    # The production settings, collecting into the test's own folder rather than the checkout's.
    env.update(DJANGO_SETTINGS_MODULE="tests.browser.production_settings", BROWSER_STATIC_ROOT=STATIC["root"])
    return env


@contextmanager
def gunicorn(env):
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(200):  # at most ~20 s to start
            if server.poll() is not None:
                pytest.fail(f"gunicorn s'est arrêté : {server.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def health_check(env):
    """The Dockerfile's HEALTHCHECK command, run as Docker runs it."""
    return subprocess.run(
        [sys.executable, "deploy/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )


def print_config(**env):
    result = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    lines = (line.partition("=") for line in result.stdout.splitlines())
    return {name.strip(): value.strip() for name, _, value in lines}


def test_the_server_is_threaded_without_control_socket_and_loopback_by_default():
    config = print_config()
    assert config["worker_class"] == "gthread" and int(config["threads"]) > 1
    assert config["control_socket_disable"] == "True"
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["timeout"] == "30" and config["keepalive"] == "5"


def test_host_port_workers_and_threads_come_from_the_environment():
    config = print_config(HOST="0.0.0.0", PORT="9123", WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert config["bind"] == "['0.0.0.0:9123']"
    assert config["workers"] == "3" and config["threads"] == "4"


def test_idle_connections_do_not_stall_the_site(tmp_path):
    """Three silent connections, one worker: a sync worker would serve nothing until they time out (30 s).

    gthread gives a new connection a thread for at most 5 s, then parks it in the poller,
    and the other threads keep serving. A flood of new silent connections is for the
    proxy to absorb (deploy/Caddyfile).
    """
    env = environment(tmp_path, PORT=str(free_port()), WEB_CONCURRENCY="1", GUNICORN_THREADS="4")
    with gunicorn(env):
        idle = [socket.create_connection(("127.0.0.1", int(env["PORT"]))) for _ in range(3)]
        try:
            result = health_check(env)
        finally:
            for sock in idle:
                sock.close()
    assert result.returncode == 0, result.stderr


def test_the_health_check_fails_when_the_database_is_unreachable(tmp_path):
    env = environment(tmp_path, PORT=str(free_port()), WEB_CONCURRENCY="1")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'absent' / 'db.sqlite3'}"
    with gunicorn(env):
        result = health_check(env)
    assert result.returncode == 1 and "503" in result.stderr


def test_the_server_refuses_to_start_when_redis_is_unreachable(tmp_path):
    env = environment(tmp_path, PORT=str(free_port()), REDIS_URL="redis://127.0.0.1:1/0")
    result = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Redis injoignable" in result.stderr and "Booting worker" not in result.stderr


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A migrated SQLite file with the reference data and one published meeting, for several servers."""
    folder = tmp_path_factory.mktemp("replicas")
    env = environment(folder)
    for command in (
        ["migrate", "--noinput"],
        ["loaddata", "fixtures/territories.json", "fixtures/movements.json"],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    created = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tests.factories import make_meeting; print(make_meeting().pk)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return folder, int(created.stdout.split()[-1])


def submit_report(port, path):
    """A visitor's report as the browser sends it through the proxy: GET the form, then POST it with its token."""
    headers = {
        "Host": "entraide.example.org",
        "X-Forwarded-Proto": "https",
        "Origin": "https://entraide.example.org",
        "Referer": f"https://entraide.example.org{path}",
    }
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    url = f"http://127.0.0.1:{port}{path}"
    with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
        html = response.read().decode()
        cookie = response.headers.get("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "message": "La réunion a lieu le jeudi soir."})
    request = urllib.request.Request(url, data=data.encode(), headers={**headers, "Cookie": cookie}, method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The 302 after a report is the answer we check, not a page to fetch."""

    def redirect_request(self, *args, **kwargs):
        return None


def test_the_report_rate_limit_holds_across_replicas_without_redis(shared_database):
    """Two servers (two replicas, or two workers) on one database: one allowance per address, not one each."""
    folder, meeting = shared_database
    ports = [free_port(), free_port()]
    replicas = [
        environment(folder, PORT=str(port), WEB_CONCURRENCY="1", CHANGE_REQUEST_RATE_LIMIT="3") for port in ports
    ]
    for env in replicas:
        env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    path = f"/reunions/{meeting}/signaler/"
    with gunicorn(replicas[0]), gunicorn(replicas[1]):
        answers = [submit_report(port, path) for port in ports * 2]  # alternately on each replica
    assert answers == [302, 302, 302, 429]
