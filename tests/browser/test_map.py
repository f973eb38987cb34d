"""End to end in a real headless Chromium: the map is drawn by JavaScript over the server's list.

The site runs as a separate process on its own SQLite database loaded with the
reference and demo fixtures, as `make run` would serve it.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("Chromium est requis en CI pour les tests navigateur (apt-get install chromium).")
    pytest.skip("Chromium absent : tests navigateur sautés (apt-get install chromium).", allow_module_level=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('site') / 'db.sqlite3'}",
        "MAP_TILE_URL": "",  # no third-party request from a test
        "DEBUG": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    fixtures = ["territories", "movements", "charter", "demo"]
    subprocess.run(
        [*manage, "loaddata", *[f"fixtures/{name}.json" for name in fixtures]], env=env, check=True, cwd=ROOT
    )
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def rendered_dom(url, tmp_path, console=None):
    """The DOM after scripts ran; console messages are appended to `console` if given."""
    result = subprocess.run(
        # The virtual time budget lets asynchronous work (the outlines' fetch) finish before the dump.
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if console is not None:
        console.extend(line for line in result.stderr.splitlines() if "CONSOLE" in line)
    return result.stdout


def test_the_map_shows_one_marker_per_place_of_the_results(site, tmp_path):
    html = urllib.request.urlopen(site + "/reunions/?commune=nancy&rayon=30").read().decode()
    places = len(re.findall(r'"lat":', html.split('id="carte-marqueurs"')[1].split("</script>")[0]))
    assert places > 0 and re.search(r'<div id="carte" class="map" hidden ', html)  # sent hidden

    dom = rendered_dom(site + "/reunions/?commune=nancy&rayon=30", tmp_path)
    carte = re.search(r'<div id="carte"[^>]*>', dom).group(0)
    assert "leaflet-container" in carte and "hidden" not in carte
    assert dom.count('class="leaflet-marker-icon') == places
    # The list holds the same links: markers stay out of the keyboard's way.
    assert not re.search(r'<img[^>]*leaflet-marker-icon[^>]*tabindex="0"', dom)
    assert dom.count('class="meeting"') == html.count('class="meeting"')  # the list is untouched


def test_leaflet_is_served_by_the_site_itself(site):
    html = urllib.request.urlopen(site + "/reunions/?departement=67").read().decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert urllib.request.urlopen(site + scripts[0]).status == 200


def test_a_phone_sized_screenshot_of_the_finder(site, tmp_path):
    shot = tmp_path / "finder.png"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=390,1600",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            site + "/reunions/?commune=nancy&rayon=30",
        ],
        capture_output=True,
        timeout=60,
    )
    assert shot.exists() and shot.stat().st_size > 20_000


def test_the_map_draws_the_departements_outlines(site, tmp_path):
    dom = rendered_dom(site + "/reunions/?departement=57", tmp_path)
    # Leaflet draws each département's outline as one SVG path in the overlay pane.
    overlay = dom.split("leaflet-overlay-pane")[1].split("leaflet-shadow-pane")[0]
    assert overlay.count("<path") == 10


def test_the_content_security_policy_blocks_nothing_the_finder_needs(site, tmp_path):
    console = []
    dom = rendered_dom(site + "/reunions/?commune=strasbourg&rayon=30", tmp_path, console)
    assert "leaflet-marker-icon" in dom
    assert not [line for line in console if "Content Security Policy" in line], console
    header = urllib.request.urlopen(site + "/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in header and "unsafe-inline" not in header
