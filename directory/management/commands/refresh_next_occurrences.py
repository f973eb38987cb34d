"""Cron: store every meeting's running or next occurrence, by which lists and exports are ordered.

Pages refresh the rows whose occurrence has ended on their own; running this
every few minutes keeps that request-time work to a handful of rows.
"""

from django.core.management.base import BaseCommand

from directory.models import Meeting


class Command(BaseCommand):
    help = "Recalcule la prochaine occurrence de chaque réunion (à lancer par cron, toutes les 15 minutes)."

    def handle(self, *args, **options):
        changed = Meeting.objects.refresh_next_occurrences()
        self.stdout.write(f"{changed} réunion(s) mise(s) à jour.")
