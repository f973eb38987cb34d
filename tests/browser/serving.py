"""How the browser suite serves the site and sizes the browser's window: shared by conftest and tests."""

import json
import os
import re
import secrets
import socket
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ["territories", "movements", "charter", "demo"]
FINDER = "/reunions/?commune=nancy&rayon=30"
SIZES = {
    "phone": {"width": 390, "height": 844, "mobile": True, "scale": 3},
    "desktop": {"width": 1280, "height": 900, "mobile": False, "scale": 1},
}


def fixture_paths():
    return [f"fixtures/{name}.json" for name in FIXTURES]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dockerfile_command(bind):
    """The Dockerfile's CMD, with our interpreter's gunicorn and a local address to bind."""
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1))
    assert cmd[0] == "gunicorn", cmd
    cmd = [sys.executable, "-m", "gunicorn", *cmd[1:]]
    # The image binds through gunicorn.conf.py (HOST, PORT); a command-line --bind overrides it.
    if "--bind" in cmd:
        cmd[cmd.index("--bind") + 1] = bind
        return cmd
    return [*cmd, "--bind", bind]


def production_env(tmp):
    """The Docker image's environment (DEBUG=0), with a database and static folder of the test's own."""
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


def wait_until_up(url, still_running=lambda: True, attempts=300):
    """True once `url` answers; False if the server stopped or never answered."""
    for _ in range(attempts):
        if not still_running():
            return False
        try:
            urllib.request.urlopen(url, timeout=1)
            return True
        except OSError:
            time.sleep(0.1)
    return False
