"""The production server as the Dockerfile runs it: gunicorn.conf.py, its environment, its health check.

These tests start a real gunicorn on a free loopback port (SQLite file database),
with the production settings, and stop it afterwards.
"""

import os
import socket
import subprocess
import sys
import time
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


def environment(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", HOME=str(tmp_path), **extra)
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
