"""The site as the Docker image serves it, and one headless Chromium driven over the DevTools protocol.

The server is the Dockerfile's own command line (gunicorn, whitenoise) run with DEBUG=0 on
static files collected into a temporary folder with the manifest storage, so hashed file
names, compressed copies and the absence of Django's development static view are all in
play, on its own SQLite database loaded with the reference and demo fixtures.
"""

import os
import shutil
import subprocess
import sys

import pytest

from .cdp import Browser
from .serving import ROOT, dockerfile_command, fixture_paths, free_port, production_env, wait_until_up

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    env = production_env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "loaddata", *fixture_paths()], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    url = f"http://127.0.0.1:{free_port()}"
    log = tmp / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            dockerfile_command(url.removeprefix("http://")), env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        if not wait_until_up(url + "/robots.txt", lambda: server.poll() is None):
            pytest.fail(f"gunicorn ne répond pas :\n{log.read_text()}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les tests navigateur (make browser).")
        pytest.skip("Chromium absent : tests navigateur sautés (make browser, ou apt-get install chromium).")
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()
