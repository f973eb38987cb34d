"""Store each meeting's text in the Meeting Guide feed, the agendas and the CSV export.

Run after loading data, and regularly from cron (with refresh_next_occurrences):
a meeting changed since (or whose group, movement or venue changed) is served
from its live rows meanwhile, correct but slower. See directory.exports.stored.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from directory.exports import stored


class Command(BaseCommand):
    help = "Enregistre le texte des réunions dans les exports (Meeting Guide, iCalendar, CSV)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Toutes, pas seulement celles à mettre à jour."
        )

    def handle(self, *args, everything=False, **options):
        # The language the export URLs are served in (they are outside the language prefixes).
        with translation.override(settings.LANGUAGE_CODE):
            count = stored.refresh(everything=everything)
        self.stdout.write(f"{count} réunion(s) mises à jour.")
