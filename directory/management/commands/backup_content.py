"""The whole content of the site as one fixture file, loadable into an empty database (restore_content).

Users with their groups and second-factor devices, rattachements, every
directory and charter row, their history, public reports and the admin's log.
Foreign keys to users, groups of users and content types are written as
natural keys, so that the file does not depend on the ids a new database
gives them. Left out: what `migrate` recreates (content types, permissions),
sessions and django-axes' login attempts.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

# Recreated by migrate, or short-lived.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "Exporte tout le contenu (JSON, .json.gz pour compresser) pour restore_content."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Fichier de sortie (.json, .json.gz…) ; sinon la sortie standard.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=True,
            # Every row, whatever a model's default manager hides.
            all=True,
            format="json",
            indent=1,
            output=output,
            database=database,
            stdout=self.stdout,
        )
