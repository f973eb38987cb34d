"""manage.py import_meetings --format {bmlt,meeting-guide,csv} --movement <slug> [--dry-run] <file-or-url>"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.importers import sync
from directory.importers.fetch import FetchError
from directory.importers.records import PayloadError
from directory.models import Movement, Source


class Command(BaseCommand):
    help = (
        "Importe les réunions d'un mouvement depuis un fichier ou une adresse (BMLT, Meeting Guide, CSV). "
        "--dry-run affiche ce qui serait créé, modifié et fermé sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=Source.Kind.values, dest="kind")
        parser.add_argument("--movement", required=True, help="slug du mouvement, ex. narcotiques-anonymes")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--filter", default="", help="BMLT : structures de service ; Meeting Guide : région")
        parser.add_argument("location", help="chemin d'un fichier ou adresse http(s)")

    def handle(self, kind, movement, dry_run, filter, location, **options):
        slug, movement = movement, Movement.objects.filter(slug=movement).first()
        if movement is None:
            raise CommandError(f"Mouvement inconnu : « {slug} ».")
        is_url = urlsplit(location).scheme in ("http", "https")
        try:
            if is_url:
                payload = sync.decode(sync.fetch(location))
            else:
                path = Path(location)
                if not path.is_file():
                    raise CommandError(f"Fichier introuvable : {location}")
                payload = sync.decode(path.read_bytes())
            with transaction.atomic():
                # The same file or URL imported again is the same source: its meetings are updated, not doubled.
                source, _created = Source.objects.get_or_create(
                    movement=movement,
                    kind=kind,
                    url=location if is_url else "",
                    name=location if is_url else Path(location).name,
                    defaults={"filter": filter},
                )
                if not is_url:
                    source.uploaded_data = payload
                    source.save(update_fields=["uploaded_data"])
                report = sync.run(source, payload, apply=not dry_run)
                if not dry_run:
                    sync.record_run(source, report, Source.Status.APPLIED)
                else:
                    transaction.set_rollback(True)
        except (FetchError, PayloadError) as error:
            raise CommandError(str(error)) from None
        self.print_report(report, dry_run)

    def print_report(self, report, dry_run):
        verb = "serait" if dry_run else "a été"
        write = self.stdout.write
        write(f"{'Simulation : rien n’est écrit.' if dry_run else 'Import appliqué.'}")
        for label in report["created"]:
            write(f"  créée : {label}")
        for item in report["changed"]:
            write(f"  modifiée : {item['label']} ({', '.join(item['fields'])})")
        for label in report["closed"]:
            write(f"  fermée : {label}")
        for item in report["conflicts"]:
            write(f"  conflit (modifiée ici, non écrasée) : {item['label']} ({', '.join(item['fields'])})")
        for key, reason in report["rejected"]:
            write(f"  rejetée : {key} : {reason}")
        for key, message in report["warnings"]:
            write(f"  avertissement : {key} : {message}")
        write(
            f"{len(report['created'])} réunion(s) créée(s), {len(report['changed'])} modifiée(s), "
            f"{report['unchanged']} inchangée(s), {len(report['closed'])} fermée(s), "
            f"{len(report['conflicts'])} conflit(s), {len(report['rejected'])} rejetée(s) ({verb} appliqué)."
        )
