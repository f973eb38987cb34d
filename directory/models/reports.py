"""Who works on the data: movements' coordinators, the public's error reports, freshness reminders."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import rules
from .base import ScopedQuerySet
from .groups import Group
from .meetings import Meeting
from .movements import Movement
from .validators import validate_single_line, validate_text


class Membership(models.Model):
    """Attaches a staff user to a movement: coordinators edit it, observers only read it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinateur", _("Coordinateur")
        OBSERVER = "observateur", _("Observateur (lecture seule)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("utilisateur")
    )
    movement = models.ForeignKey(Movement, models.CASCADE, related_name="memberships", verbose_name=_("mouvement"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.COORDINATOR)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    revisions = HistoricalRecords()

    class Meta:
        verbose_name = _("rattachement à un mouvement")
        verbose_name_plural = _("rattachements aux mouvements")
        ordering = ["movement__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "movement"], name="membership_unique_user_movement"),
        ]

    def __str__(self):
        return f"{self.user} – {self.movement} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.movement.get_absolute_url()

    @classmethod
    def movement_ids(cls, user, editable=False):
        return rules.movement_ids(user, editable=editable)

    @classmethod
    def coordinators_of(cls, movement):
        """Active staff users who coordinate `movement` and can be reached by e-mail."""
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(
                memberships__movement=movement,
                memberships__role=cls.Role.COORDINATOR,
                is_active=True,
                is_staff=True,
            )
            .exclude(email="")
            .distinct()
        )


class ChangeRequestQuerySet(ScopedQuerySet):
    pass


class ChangeRequest(models.Model):
    """An error reported by the public on a fiche, a group or a meeting page."""

    class State(models.TextChoices):
        NEW = "nouvelle", _("Nouveau")
        IN_PROGRESS = "en-cours", _("En cours")
        HANDLED = "traitee", _("Traité")
        REJECTED = "rejetee", _("Rejeté")

    MESSAGE_MAX_LENGTH = 2000
    CONTACT_MAX_LENGTH = 200

    movement = models.ForeignKey(Movement, models.CASCADE, related_name="change_requests", verbose_name=_("mouvement"))
    group = models.ForeignKey(
        Group, models.SET_NULL, null=True, blank=True, related_name="change_requests", verbose_name=_("groupe")
    )
    meeting = models.ForeignKey(
        Meeting, models.SET_NULL, null=True, blank=True, related_name="change_requests", verbose_name=_("réunion")
    )
    # Kept as text so that the request still says what it was about once the target is deleted.
    target_label = models.CharField(_("page concernée"), max_length=300, validators=[validate_single_line])
    message = models.TextField(_("ce qui est inexact"), max_length=MESSAGE_MAX_LENGTH, validators=[validate_text])
    contact = models.CharField(
        _("contact"),
        max_length=CONTACT_MAX_LENGTH,
        blank=True,
        help_text=_("Facultatif : visible seulement des coordinateurs du mouvement."),
        validators=[validate_single_line],
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    state = models.CharField(_("état"), max_length=10, choices=State, default=State.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    note = models.TextField(_("note interne"), blank=True, validators=[validate_text])

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="nouvelle") | Q(handled_at__isnull=False),
                name="change_request_handled_has_date",
            )
        ]

    def __str__(self):
        return f"{self.target_label} – {self.created_at:%d/%m/%Y}" if self.created_at else self.target_label

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    @property
    def target(self):
        return self.meeting or self.group or self.movement

    @property
    def reply_address(self):
        """The reporter's e-mail address when the contact given is one, else ''."""
        contact = self.contact.strip()
        try:
            validate_email(contact)
        except ValidationError:
            return ""
        return contact

    def reply(self, text, user):
        """E-mail `text` to the reporter and keep it in the internal note, dated and signed.

        Raises what the mail backend raises (see services.MAIL_ERRORS): nothing is recorded then.
        """
        subject = _("Votre signalement sur « %(target)s »") % {"target": self.target_label}
        EmailMessage(str(subject)[:150], text, to=[self.reply_address]).send()
        stamp = _("Réponse envoyée le %(date)s par %(user)s :") % {
            "date": f"{timezone.localtime():%d/%m/%Y %H:%M}",
            "user": user.get_full_name() or user.get_username(),
        }
        self.note = "\n\n".join(part for part in [self.note.strip(), f"{stamp}\n{text.strip()}"] if part)


class FreshnessReminder(models.Model):
    """One freshness e-mail sent to a coordinator; keeps the cron job from repeating itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="freshness_reminders", verbose_name=_("destinataire")
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    entry_count = models.PositiveIntegerField(_("entrées à vérifier"))

    class Meta:
        verbose_name = _("rappel de vérification")
        verbose_name_plural = _("rappels de vérification")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["user", "sent_at"], name="freshness_reminder_user_sent")]

    def __str__(self):
        return f"{self.user} – {self.sent_at:%d/%m/%Y}"


class ReportAllowanceQuerySet(models.QuerySet):
    def spend(self, key, window, now=None):
        """Count one report against `key`'s allowance; return how many were counted in its window.

        One row per key, incremented by an UPDATE: the database serialises two workers or
        replicas counting at the same instant, which a cache's get-then-set cannot do.
        Expired rows go at each call, so that no address hash outlives its window by much.
        """
        now = now or timezone.now()
        with transaction.atomic():
            self.filter(window_start__lte=now - window).delete()
            self.get_or_create(key=key, defaults={"window_start": now})
            self.filter(key=key).update(count=F("count") + 1)
            return self.values_list("count", flat=True).get(key=key)


class ReportAllowance(models.Model):
    """Reports counted per visitor for the rate limit; the key is a keyed hash, never the address."""

    key = models.CharField(_("clé"), max_length=64, unique=True, validators=[validate_single_line])
    window_start = models.DateTimeField(_("début de la période"))
    count = models.PositiveIntegerField(_("signalements"), default=0)

    objects = ReportAllowanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota de signalements")
        verbose_name_plural = _("quotas de signalements")
        ordering = ["window_start"]
        indexes = [models.Index(fields=["window_start"], name="report_allowance_window")]

    def __str__(self):
        return f"{self.key[:8]}… – {self.count}"
