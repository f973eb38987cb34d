"""Groups (a movement's local section) and venues (shared places where meetings are held)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import rules
from ..text import fold
from .base import Publishable, ScopedQuerySet
from .geo import distance_km
from .movements import Movement
from .territories import Commune
from .validators import phone_validator, validate_single_line, validate_text

# A venue this far from its commune's centre is a typo (swapped or mistyped coordinates).
VENUE_MAX_KM_FROM_COMMUNE = 30
# Spellings of one address that people mix ("12 r. des Tiercelins", "12 rue des tiercelins").
ABBREVIATIONS = {"r": "rue", "av": "avenue", "bd": "boulevard", "pl": "place", "st": "saint", "ste": "sainte"}


class GroupQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(published=True, movement__published=True)

    def exportable(self):
        """Groups any export may show: published and real (see `MeetingQuerySet.exportable`)."""
        return self.published().filter(is_demo=False)


class Group(Publishable):
    movement = models.ForeignKey(Movement, models.CASCADE, related_name="groups", verbose_name=_("mouvement"))
    name = models.CharField(
        _("nom"),
        max_length=150,
        help_text=_("Ex. « Vie Libre – section de Reims »."),
        validators=[validate_single_line],
    )
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="groups", verbose_name=_("commune"))
    description = models.TextField(_("présentation"), blank=True, validators=[validate_text])
    email = models.EmailField(_("courriel public"), blank=True, validators=[validate_single_line])
    phone = models.CharField(
        _("téléphone public"), max_length=30, blank=True, validators=[validate_single_line, phone_validator]
    )
    website = models.URLField(_("site web"), blank=True, validators=[validate_single_line])

    objects = GroupQuerySet.as_manager()
    revisions = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["movement__name", "commune__search_name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "commune", "name"], name="group_unique_name_per_commune"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:group_detail", args=[self.pk])

    def hidden_reasons(self):
        """Why the public does not see this group, as (what to fix, wording) pairs; [] when it does.

        The row-level reading of `GroupQuerySet.published()`.
        """
        reasons = []
        if not self.published:
            reasons.append(("group", _("le groupe n'est pas publié")))
        if not self.movement.published:
            reasons.append(("movement", _("la fiche du mouvement n'est pas publiée")))
        return reasons


class VenueQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Venues a user may change or delete.

        Venues are shared places: anyone on staff may use any of them, but a
        coordinator may only change one that no other movement's meeting uses
        — either all its meetings are theirs, or it has none and they created it.
        """
        if rules.is_regional_admin(user):
            return self.all()
        if not rules.is_staff(user):
            return self.none()
        mine = rules.movement_ids(user, editable=True)
        # venue__isnull: a NULL in a NOT IN subquery would exclude every row.
        meetings = self.model._meta.get_field("meetings").related_model.objects
        others = meetings.filter(venue__isnull=False).exclude(group__movement__in=mine).values("venue")
        own_meetings = meetings.filter(group__movement__in=mine).values("venue")
        created = Venue.revisions.filter(history_type="+", history_user=user).values("id")
        return self.exclude(pk__in=others).filter(Q(pk__in=own_meetings) | Q(pk__in=created))


class Venue(models.Model):
    class Kind(models.TextChoices):
        TOWN_HALL = "salle-municipale", _("Salle municipale")
        HOSPITAL = "hopital", _("Hôpital, clinique")
        CSAPA = "csapa", _("CSAPA, structure de soins en addictologie")
        ASSOCIATION = "local-associatif", _("Local associatif")
        PARISH = "salle-paroissiale", _("Salle paroissiale")
        SOCIAL_CENTRE = "centre-social", _("Centre social, maison de quartier")
        OTHER = "autre", _("Autre lieu")

    name = models.CharField(_("nom"), max_length=150, validators=[validate_single_line])
    kind = models.CharField(_("type de lieu"), max_length=20, choices=Kind, default=Kind.OTHER)
    address = models.CharField(
        _("adresse"),
        max_length=200,
        help_text=_("Numéro et voie, sans la commune."),
        validators=[validate_single_line],
    )
    postal_code = models.CharField(
        _("code postal"), max_length=5, validators=[validate_single_line, RegexValidator(r"^\d{5}$")]
    )
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="venues", verbose_name=_("commune"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("Vide : centre de la commune."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), null=True, blank=True)
    access_notes = models.TextField(
        _("accès"), blank=True, help_text=_("Étage, entrée, transports en commun…"), validators=[validate_text]
    )
    is_demo = models.BooleanField(_("exemple"), default=False)
    # db_default lets fixtures written before this field load; exports' caches key on it.
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_default=Now())

    objects = VenueQuerySet.as_manager()
    revisions = HistoricalRecords()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["commune__search_name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                # isnull=False: a comparison with NULL is unknown, which a CHECK lets pass.
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=41,
                    latitude__lte=51.5,
                    longitude__gte=-5.5,
                    longitude__lte=10,
                ),
                name="venue_coordinates_in_france",
                violation_error_message=_("Les coordonnées doivent être toutes deux vides, ou situées en France."),
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.commune.name}"

    def get_absolute_url(self):
        return self.commune.get_absolute_url()

    def near_duplicates(self):
        """Other venues of the same commune with the same name or address, once accents,
        case, punctuation and "rue"/"r." spellings are set aside: probably this very place."""
        if not self.commune_id:
            return []

        def folded(text):
            words = fold(text or "").split()
            return " ".join(ABBREVIATIONS.get(word, word) for word in words)

        name, address = folded(self.name), folded(self.address)
        others = Venue.objects.filter(commune=self.commune_id).exclude(pk=self.pk).select_related("commune")
        return [
            venue
            for venue in others
            if (name and folded(venue.name) == name) or (address and folded(venue.address) == address)
        ]

    @property
    def coordinates(self):
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        return self.commune.latitude, self.commune.longitude

    def clean(self):
        errors = {}
        if self.commune_id and self.postal_code and self.postal_code not in self.commune.postal_codes.split():
            errors["postal_code"] = _("Ce code postal n'est pas celui de la commune choisie (%(codes)s).") % {
                "codes": self.commune.postal_codes
            }
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = _("Indiquez la latitude et la longitude, ou laissez les deux vides.")
        if self.commune_id and self.latitude is not None and self.longitude is not None:
            km = distance_km(self.latitude, self.longitude, self.commune.latitude, self.commune.longitude)
            if km > VENUE_MAX_KM_FROM_COMMUNE:
                errors["latitude"] = _(
                    "Ces coordonnées sont à %(km)s km du centre de %(commune)s (%(max)s km au plus) : "
                    "vérifiez-les, ou laissez-les vides."
                ) % {"km": round(km), "commune": self.commune.name, "max": VENUE_MAX_KM_FROM_COMMUNE}
        if errors:
            raise ValidationError(errors)
