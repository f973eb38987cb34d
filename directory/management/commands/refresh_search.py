"""Store every meeting's searched words (`Meeting.search_text`, and its French vector on PostgreSQL).

Run after loading data, and regularly from cron: a meeting saved since is
searched on its live columns meanwhile (correct, slower), and the renaming of a
group, venue, movement or commune reaches its meetings' words at the next run.
"""

from django.core.management.base import BaseCommand

from directory.models import Meeting


class Command(BaseCommand):
    help = "Recalcule le texte de recherche des réunions."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="Seulement les réunions modifiées depuis.")

    def handle(self, *args, stale=False, **options):
        meetings = Meeting.objects.filter(search_text__isnull=True) if stale else Meeting.objects.all()
        count = meetings.refresh_search()
        self.stdout.write(f"{count} réunion(s) mises à jour.")
