"""Load a backup_content file into an empty, migrated database, all or nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from directory.models import Commune, Movement


class Command(BaseCommand):
    help = "Restaure une sauvegarde de backup_content dans une base vide (après migrate)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier produit par backup_content (.json, .json.gz…).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database=DEFAULT_DB_ALIAS, **options):
        # Loading over existing rows would mix two sites' data, or overwrite what was edited since.
        for model in (get_user_model(), Movement, Commune):
            if model._default_manager.using(database).exists():
                raise CommandError(
                    f"La base n'est pas vide ({model._meta.verbose_name_plural} présents) : restaurez dans "
                    "une base neuve, créée puis migrée (manage.py migrate)."
                )
        # loaddata writes everything in one transaction: a failure leaves the database empty.
        call_command("loaddata", path, database=database, stdout=self.stdout)
