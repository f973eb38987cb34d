"""backup_content / restore_content: the whole content survives a trip through an empty database."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from charter.models import CharterItem, Commitment
from directory.models import ChangeRequest
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(world):
    """Rows of every kind a backup must carry, beyond the reference data and the world's users and rows."""
    Commitment.objects.create(movement=world.vl, item=CharterItem.objects.get(code="valeur-ecoute"), how="Écoute")
    ChangeRequest.objects.create(movement=world.vl, group=world.vl_group, message="Horaire faux", contact="x@y.fr")
    doomed = make_meeting(group=world.vl_group, name="Réunion supprimée")
    doomed._history_user = world.vl_coord
    doomed.delete()
    TOTPDevice.objects.create(user=world.admin, name="Téléphone", confirmed=True)
    return world


def backup(path):
    call_command("backup_content", output=str(path))
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8") as stream:
        return stream.read()


def test_a_backup_holds_users_memberships_history_reports_and_commitments(content, tmp_path):
    text = backup(tmp_path / "sauvegarde.json.gz")
    for model in [
        '"auth.user"',
        '"auth.group"',
        '"directory.membership"',
        '"directory.historicalgroup"',
        '"directory.historicalmeeting"',
        '"directory.changerequest"',
        '"charter.commitment"',
        '"otp_totp.totpdevice"',
    ]:
        assert model in text, model
    assert "Réunion supprimée" in text and '"history_user": [\n   "coord_vl"\n  ]' in text
    assert '"contenttypes.contenttype"' not in text and '"sessions.session"' not in text


def test_restore_refuses_a_database_that_is_not_empty(content, tmp_path):
    path = tmp_path / "sauvegarde.json"
    path.write_text("[]")
    with pytest.raises(CommandError, match="La base n'est pas vide"):
        call_command("restore_content", str(path))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second PostgreSQL database to restore into")
def test_backup_restore_backup_gives_the_same_bytes(content, tmp_path):
    first, second = tmp_path / "premiere.json", tmp_path / "seconde.json"
    backup(first)
    db = connection.settings_dict
    name = f"{db['NAME']}_restauration"
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db.get("PASSWORD"):
        server["password"] = db["PASSWORD"]
    url = f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
    url += f"@{server['host']}:{server['port']}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        for command in [
            ["migrate", "--noinput"],
            ["restore_content", str(first)],
            ["backup_content", "-o", str(second)],
        ]:
            done = subprocess.run([*manage, *command], env=env, capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stderr
        assert second.read_bytes() == first.read_bytes()
        # Restoring twice would mix the data: refused.
        again = subprocess.run([*manage, "restore_content", str(first)], env=env, capture_output=True, text=True)
        assert again.returncode != 0 and "La base n'est pas vide" in again.stderr
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
