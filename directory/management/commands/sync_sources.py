"""manage.py sync_sources: run every active source, for cron. Idempotent; one source's failure stops no other."""

from django.core.management.base import BaseCommand

from directory.importers import sync
from directory.models import Source


class Command(BaseCommand):
    help = "Synchronise les sources de réunions actives (à lancer par cron, par exemple chaque nuit)."

    def handle(self, **options):
        for source in Source.objects.filter(active=True).select_related("movement").order_by("pk"):
            report = sync.sync(source)
            source.refresh_from_db(fields=["status"])
            if source.status == Source.Status.ERROR:
                self.stdout.write(f"{source} : erreur : {report.get('error')}")
                continue
            state = "à confirmer dans l'administration" if source.status == Source.Status.PREVIEW else "appliquée"
            self.stdout.write(
                f"{source} : {state} : {len(report['created'])} créée(s), {len(report['changed'])} modifiée(s), "
                f"{len(report['closed'])} fermée(s), {len(report['conflicts'])} conflit(s), "
                f"{len(report['rejected'])} rejetée(s)."
            )
