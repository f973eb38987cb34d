"""Smoke test of the Docker image's own command line: build it, run it as is, load the finder in Chromium.

Needs a Docker engine; skipped with a message otherwise. (Without Docker the rest of the browser
suite still runs the Dockerfile's CMD itself, outside a container: see conftest.py.)
"""

import secrets
import shutil
import subprocess
import uuid

import pytest

from .serving import FINDER, ROOT, SIZES, fixture_paths, wait_until_up

pytestmark = pytest.mark.browser


def docker(*args, timeout=120, check=True):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=check)


def engine_available():
    if not shutil.which("docker"):
        return False
    try:
        return docker("info", timeout=20, check=False).returncode == 0
    except subprocess.TimeoutExpired:
        return False


if not engine_available():
    pytest.skip(
        "Docker absent ou moteur injoignable (docker info) : test de l'image Docker sauté.", allow_module_level=True
    )

ENV = {
    "SECRET_KEY": secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    # A database the unprivileged user may write; PostgreSQL in production.
    "DATABASE_URL": "sqlite:////tmp/entraide.sqlite3",
    "MAP_TILE_URL": "",
}


@pytest.fixture(scope="module")
def image():
    tag = f"entraide-smoke:{uuid.uuid4().hex[:12]}"
    docker("build", "--quiet", "--tag", tag, str(ROOT), timeout=1800)
    yield tag
    docker("rmi", "--force", tag, check=False)


@pytest.fixture(scope="module")
def container(image):
    options = [item for name, value in ENV.items() for item in ("--env", f"{name}={value}")]
    # No command after the image: what runs is the Dockerfile's CMD.
    cid = docker("run", "--detach", "--publish", "127.0.0.1::8000", *options, image).stdout.strip()
    try:
        docker("exec", cid, "python", "manage.py", "migrate", "-v0", timeout=300)
        docker("exec", cid, "python", "manage.py", "loaddata", *fixture_paths())
        port = docker("port", cid, "8000/tcp").stdout.splitlines()[0].rsplit(":", 1)[1]
        url = f"http://127.0.0.1:{port}"
        if not wait_until_up(url + "/robots.txt"):
            pytest.fail("L'image ne répond pas :\n" + docker("logs", cid, check=False).stderr)
        yield cid, url
    finally:
        docker("rm", "--force", cid, check=False)


def test_the_image_runs_as_an_unprivileged_user(container):
    cid, _ = container
    assert docker("exec", cid, "id", "-u").stdout.strip() == "10001"


def test_the_images_command_serves_the_finder_with_its_markers(container, browser):
    _, url = container
    page, report = browser.open(url + FINDER, **SIZES["phone"])
    widths = page.evaluate("Array.from(document.querySelectorAll('img.leaflet-marker-icon')).map(i => i.naturalWidth)")
    page.close()
    assert report.problems == []
    assert widths and all(width > 0 for width in widths)


def test_the_image_refuses_to_start_with_the_development_secret(image):
    result = docker("run", "--rm", "--env", "ALLOWED_HOSTS=localhost", image, timeout=120, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stdout + result.stderr
