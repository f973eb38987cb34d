import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def django_check(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "0"}, "SECRET_KEY doit être défini"),
        ({"DEBUG": "0", "SECRET_KEY": "court"}, "SECRET_KEY doit être défini"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS doit lister"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = django_check(**env)
    assert result.returncode != 0 and message in result.stderr


def test_production_starts_with_safe_settings():
    result = django_check(DEBUG="0", SECRET_KEY="a-real-secret-" + "k" * 40, ALLOWED_HOSTS="entraide.example.org")
    assert result.returncode == 0, result.stderr
