"""Sources: the movements' own meeting lists (BMLT, Meeting Guide, CSV) the directory keeps in step with.

A `Source` belongs to one movement; each meeting it brought in has an
`ImportedRecord` remembering its external id, the values last imported (to
tell a local edit from a change at the source) and the runs it was missed.
The import logic itself lives in `directory.importers`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import ScopedQuerySet
from .meetings import Meeting
from .movements import Movement
from .validators import validate_single_line


class SourceQuerySet(ScopedQuerySet):
    def public(self):
        """Sources whose meetings the public sees: enabled, of a published movement, synced at least once."""
        return self.filter(active=True, movement__published=True, last_synced_at__isnull=False)


class Source(models.Model):
    class Kind(models.TextChoices):
        BMLT = "bmlt", _("BMLT (GetSearchResults JSON)")
        MEETING_GUIDE = "meeting-guide", _("Flux Meeting Guide (JSON)")
        CSV = "csv", _("CSV (colonnes de l'annuaire)")

    class Status(models.TextChoices):
        NEVER = "never", _("Jamais lancée")
        PREVIEW = "preview", _("Différence à confirmer")
        APPLIED = "applied", _("Synchronisée")
        ERROR = "error", _("Erreur")

    movement = models.ForeignKey(Movement, models.CASCADE, related_name="meeting_sources", verbose_name=_("mouvement"))
    name = models.CharField(
        _("nom"),
        max_length=150,
        help_text=_("Affiché au public : « liste des réunions de <nom> »."),
        validators=[validate_single_line],
    )
    kind = models.CharField(_("format"), max_length=20, choices=Kind)
    url = models.URLField(
        _("adresse (URL)"),
        blank=True,
        validators=[validate_single_line],
        help_text=_("http(s) uniquement. Vide : fichier déposé."),
    )
    # Kept in the database, not on disk: replicas are stateless and share only PostgreSQL.
    uploaded_data = models.TextField(_("fichier déposé"), blank=True, editable=False)
    filter = models.CharField(
        _("filtre"),
        max_length=200,
        blank=True,
        help_text=_(
            "BMLT : numéros des structures de service (service_body_bigint) séparés par des virgules ; "
            "Meeting Guide : région (region) ; vide : tout."
        ),
        validators=[validate_single_line],
    )
    trusted = models.BooleanField(
        _("source de confiance"),
        default=False,
        help_text=_(
            "Cochée : après la première synchronisation confirmée, les suivantes s'appliquent seules. "
            "Sinon, chaque synchronisation attend votre confirmation."
        ),
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True, validators=[validate_single_line])
    missed_runs_to_close = models.PositiveSmallIntegerField(
        _("absences avant fermeture"),
        default=3,
        help_text=_("Une réunion absente de la source ce nombre de fois de suite est fermée (jamais supprimée)."),
    )
    active = models.BooleanField(_("active"), default=True)

    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.NEVER, editable=False)
    last_run_at = models.DateTimeField(_("dernier passage"), null=True, blank=True, editable=False)
    last_synced_at = models.DateTimeField(_("synchronisée le"), null=True, blank=True, editable=False)
    last_report = models.JSONField(_("compte rendu"), default=dict, blank=True, editable=False)
    # The payload a preview was computed from: confirming applies exactly what was shown.
    pending_payload = models.TextField(blank=True, editable=False)

    objects = SourceQuerySet.as_manager()
    revisions = HistoricalRecords(excluded_fields=["uploaded_data", "last_report", "pending_payload", "last_run_at"])

    class Meta:
        verbose_name = _("source de réunions")
        verbose_name_plural = _("sources de réunions")
        ordering = ["movement__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(missed_runs_to_close__gte=1),
                name="source_missed_runs_positive",
                violation_error_message=_("Au moins une absence avant fermeture."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def change_reason(self):
        """What the history of a meeting written by this source says."""
        return f"Source : {self.name} (n°{self.pk})"


class ImportedRecordQuerySet(ScopedQuerySet):
    movement_path = "source__movement"

    def with_conflicts(self):
        return self.exclude(conflicts={})


class ImportedRecord(models.Model):
    source = models.ForeignKey(Source, models.CASCADE, related_name="records", verbose_name=_("source"))
    external_id = models.CharField(_("identifiant dans la source"), max_length=100, validators=[validate_single_line])
    # SET_NULL: a meeting a coordinator deleted stays deleted; the source's record is then ignored.
    meeting = models.OneToOneField(
        Meeting, models.SET_NULL, null=True, related_name="imported_record", verbose_name=_("réunion")
    )
    # The meeting's values as last imported (JSON-friendly): a field whose current
    # value differs from it was edited here since.
    values = models.JSONField(_("valeurs importées"), default=dict)
    # {field: {"local": …, "source": …}}: changes at the source that would overwrite a local edit.
    conflicts = models.JSONField(_("conflits"), default=dict, blank=True)
    missed_runs = models.PositiveSmallIntegerField(_("absences de suite"), default=0)
    closed_by_sync = models.BooleanField(_("fermée car absente de la source"), default=False)
    last_seen_at = models.DateTimeField(_("vue dans la source le"), null=True, blank=True)

    objects = ImportedRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion importée")
        verbose_name_plural = _("réunions importées")
        ordering = ["source", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="imported_record_unique_external_id")
        ]

    def __str__(self):
        return f"{self.source} : {self.external_id}"
