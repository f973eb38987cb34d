import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "a-real-secret-" + "k" * 40, "ALLOWED_HOSTS": "entraide.example.org"}


def django_check(**env):
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "ADMIN_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
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
        ({**PRODUCTION, "ADMIN_URL": "/"}, "ADMIN_URL ne peut pas être vide"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = django_check(**env)
    assert result.returncode != 0 and message in result.stderr


def test_production_settings_pass_the_deploy_check_without_a_single_warning():
    result = django_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stderr
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize("name", ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"])
def test_each_hsts_option_can_be_turned_off_and_the_deploy_check_then_says_so(name):
    result = django_check(**PRODUCTION, **{name: "0"})
    assert result.returncode == 0 and "security.W0" in result.stderr
