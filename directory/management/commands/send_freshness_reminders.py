import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.models import STALE_AFTER_DAYS, FreshnessReminder, Group, Meeting, Membership, Movement
from directory.services import MAIL_ERRORS

logger = logging.getLogger(__name__)


def stale_entries(user):
    """(label, admin URL) of the entries of `user`'s movements not verified for six months."""
    movements = Membership.movement_ids(user, editable=True)
    querysets = [
        (Movement.objects.filter(pk__in=movements), "movement"),
        (Group.objects.filter(movement__in=movements).select_related("movement"), "group"),
        (Meeting.objects.active().filter(group__movement__in=movements).select_related("group"), "meeting"),
    ]
    entries = []
    for queryset, model_name in querysets:
        for obj in queryset.stale():
            url = settings.SITE_URL + reverse(f"admin:directory_{model_name}_change", args=[obj.pk])
            entries.append((f"{obj._meta.verbose_name.capitalize()} : {obj}", obj.verified_at, url))
    return entries


class Command(BaseCommand):
    help = (
        "Envoie à chaque coordinateur la liste des fiches, groupes et réunions de ses mouvements "
        "non vérifiés depuis plus de 6 mois. Sans effet pour qui a déjà reçu un rappel récemment : "
        "peut tourner chaque jour depuis cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.FRESHNESS_REMINDER_INTERVAL_DAYS,
            help="Jours minimum entre deux rappels à la même personne.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Affiche sans envoyer ni enregistrer.")

    def handle(self, *args, interval, dry_run, **options):
        now = timezone.now()
        recently = FreshnessReminder.objects.filter(sent_at__gt=now - timedelta(days=interval)).values("user")
        coordinators = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True, memberships__role=Membership.Role.COORDINATOR)
            .exclude(email="")
            .exclude(pk__in=recently)
            .distinct()
            .order_by("pk")
        )
        sent = failed = 0
        for user in coordinators:
            entries = stale_entries(user)
            if not entries:
                continue
            if dry_run:
                self.stdout.write(f"{user.email} : {len(entries)} entrée(s) à vérifier")
                continue
            body = render_to_string(
                "directory/emails/freshness_reminder.txt",
                {"user": user, "entries": entries, "months": STALE_AFTER_DAYS // 30},
            )
            subject = f"[Entraide Grand Est] {len(entries)} information(s) à vérifier"
            try:
                EmailMessage(subject, body, to=[user.email]).send()
            except MAIL_ERRORS:
                # Not recorded, so retried on the next run; the other coordinators still get theirs.
                logger.exception("Rappel de vérification non envoyé à %s", user.email)
                failed += 1
                continue
            # Recorded only once sent: a failed send is retried on the next run.
            FreshnessReminder.objects.create(user=user, sent_at=now, entry_count=len(entries))
            sent += 1
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
        if failed:
            # A non-zero exit status, so that cron reports the failure.
            raise CommandError(f"{failed} rappel(s) non envoyé(s) : voir le journal.")
