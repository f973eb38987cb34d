"""The site as the Docker image serves it, and one headless Chromium driven over the DevTools protocol.

The server is the Dockerfile's own command line (gunicorn, whitenoise) run with DEBUG=0 on
static files collected into a temporary folder with the manifest storage, so hashed file
names, compressed copies and the absence of Django's development static view are all in
play, on its own SQLite database loaded with the reference and demo fixtures.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .cdp import Browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIXTURES = ["territories", "movements", "charter", "demo"]

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("Chromium est requis en CI pour les tests navigateur (make browser).")
    collect_ignore_glob = ["test_*.py"]
    print("Chromium absent : tests navigateur sautés (make browser, ou apt-get install chromium).", file=sys.stderr)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dockerfile_command(bind):
    """The Dockerfile's CMD, with our interpreter's gunicorn and a local address to bind."""
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1))
    assert cmd[0] == "gunicorn", cmd
    cmd = [sys.executable, "-m", "gunicorn", *cmd[1:]]
    cmd[cmd.index("--bind") + 1] = bind
    return cmd


def production_env(tmp):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.production_settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: the TLS redirect belongs to the real host's proxy.
        "SECURE_SSL_REDIRECT": "0",
        "BROWSER_STATIC_ROOT": str(tmp / "staticfiles"),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "MAP_TILE_URL": "",  # no third-party request from a test
    }


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    env = production_env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    fixtures = [f"fixtures/{name}.json" for name in FIXTURES]
    subprocess.run([*manage, "loaddata", *fixtures], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    log = tmp / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            dockerfile_command(f"127.0.0.1:{port}"), env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if server.poll() is not None:
            pytest.fail(f"gunicorn s'est arrêté :\n{log.read_text()}")
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        pytest.fail(f"gunicorn ne répond pas :\n{log.read_text()}")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()
