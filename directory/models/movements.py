"""Movements (their public fiche) and what they address: addictions and audiences."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Publishable, ScopedQuerySet
from .validators import phone_validator, validate_single_line, validate_text


class AddictionType(models.Model):
    slug = models.SlugField(_("code"), max_length=30, unique=True, validators=[validate_single_line])
    name = models.CharField(_("nom"), max_length=60, validators=[validate_single_line])
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("addiction")
        verbose_name_plural = _("addictions")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    ALL = "tous", _("Tous publics")
    CONCERNED = "concernes", _("Personnes concernées")
    RELATIVES = "entourage", _("Entourage")


class MovementQuerySet(ScopedQuerySet):
    movement_path = "pk"

    def published(self):
        return self.filter(published=True)


class Movement(Publishable):
    name = models.CharField(_("nom"), max_length=150, validators=[validate_single_line])
    acronym = models.CharField(_("sigle"), max_length=20, blank=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True, validators=[validate_single_line])
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    founded_year = models.PositiveSmallIntegerField(_("année de fondation"), null=True, blank=True)
    history = models.TextField(
        _("histoire"), blank=True, help_text=_("Fondation, arrivée en France."), validators=[validate_text]
    )
    summary = models.CharField(
        _("en bref"),
        max_length=300,
        help_text=_("Une phrase, affichée dans les listes."),
        validators=[validate_single_line],
    )
    presentation = models.TextField(_("présentation"), blank=True, validators=[validate_text])
    approach = models.TextField(_("approche"), blank=True, validators=[validate_text])
    audience = models.CharField(_("public"), max_length=10, choices=Audience, default=Audience.ALL)
    audience_details = models.TextField(_("qui le mouvement aide"), blank=True, validators=[validate_text])
    addictions = models.ManyToManyField(AddictionType, blank=True, verbose_name=_("addictions"))

    # The activity flags, in the order the public page and the admin list them.
    ACTIVITY_FIELDS = [
        "offers_permanences",
        "offers_home_visits",
        "offers_care_visits",
        "offers_prison_visits",
        "offers_accompaniment",
        "offers_meetings",
        "offers_prevention",
    ]
    offers_permanences = models.BooleanField(_("permanences"), default=False)
    offers_home_visits = models.BooleanField(_("visites à domicile"), default=False)
    offers_care_visits = models.BooleanField(_("visites en structure de soins"), default=False)
    offers_prison_visits = models.BooleanField(_("visites en milieu carcéral"), default=False)
    offers_accompaniment = models.BooleanField(_("accompagnement personnalisé"), default=False)
    offers_meetings = models.BooleanField(_("réunions et groupes de parole"), default=False)
    offers_prevention = models.BooleanField(_("actions de prévention"), default=False)
    activities_details = models.TextField(_("activités : précisions"), blank=True, validators=[validate_text])

    volunteer_training = models.TextField(
        _("formation des bénévoles et parrainage"), blank=True, validators=[validate_text]
    )
    partnerships = models.TextField(_("partenariats"), blank=True, validators=[validate_text])

    # None means "not established": the fiche shows nothing rather than a guess.
    is_rup = models.BooleanField(_("reconnu d'utilité publique"), null=True, blank=True)
    rup_year = models.PositiveSmallIntegerField(_("année de reconnaissance d'utilité publique"), null=True, blank=True)
    has_national_approval = models.BooleanField(
        _("agrément national (représentant des usagers)"), null=True, blank=True
    )
    has_ars_approval = models.BooleanField(_("agrément régional ARS"), null=True, blank=True)
    is_camerup_member = models.BooleanField(_("membre de la CAMERUP"), null=True, blank=True)

    website = models.URLField(_("site national"), blank=True, validators=[validate_single_line])
    helpline = models.CharField(
        _("ligne d'écoute"), max_length=30, blank=True, validators=[validate_single_line, phone_validator]
    )
    helpline_hours = models.CharField(
        _("horaires de la ligne d'écoute"), max_length=100, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("courriel public"), blank=True, validators=[validate_single_line])
    # The institutional contact professionals call: hospital and CSAPA visits, talks to
    # care teams, partnership agreements, training. Kept apart from the public contacts.
    PARTNER_FIELDS = [
        "partner_contact_name",
        "partner_contact_role",
        "partner_email",
        "partner_phone",
        "partner_topics",
    ]
    partner_contact_name = models.CharField(
        _("interlocuteur des professionnels"),
        max_length=150,
        blank=True,
        help_text=_(
            "Une fonction ou un service (« délégué régional », « commission partenariats ») : "
            "pas de coordonnées personnelles de membres."
        ),
        validators=[validate_single_line],
    )
    partner_contact_role = models.CharField(
        _("rôle de l'interlocuteur"), max_length=150, blank=True, validators=[validate_single_line]
    )
    partner_email = models.EmailField(
        _("courriel pour les professionnels"), blank=True, validators=[validate_single_line]
    )
    partner_phone = models.CharField(
        _("téléphone pour les professionnels"),
        max_length=30,
        blank=True,
        validators=[validate_single_line, phone_validator],
    )
    partner_topics = models.TextField(
        _("pour quoi le contacter"),
        blank=True,
        help_text=_(
            "Ex. visites à l'hôpital et en CSAPA, présentation à une équipe, convention de partenariat, formation."
        ),
        validators=[validate_text],
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Une adresse par ligne : d'où viennent ces informations."),
        validators=[validate_text],
    )
    pending_checks = models.TextField(
        _("à confirmer par le mouvement"),
        blank=True,
        help_text=_("Informations trouvées mais non confirmées : jamais affichées publiquement."),
        validators=[validate_text],
    )

    objects = MovementQuerySet.as_manager()
    # Named "revisions": Movement already has a "history" text field.
    revisions = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("mouvement")
        verbose_name_plural = _("mouvements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rup_year__isnull=True) | Q(is_rup=True),
                name="movement_rup_year_needs_rup",
                violation_error_message=_("Une année de reconnaissance d'utilité publique suppose la reconnaissance."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:movement_detail", args=[self.slug])

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        if self.founded_year and not 1800 <= self.founded_year <= this_year:
            errors["founded_year"] = _("Année de fondation invraisemblable.")
        if self.rup_year and not self.is_rup:
            errors["rup_year"] = _("Cochez « reconnu d'utilité publique » ou videz l'année.")
        elif self.rup_year and not (self.founded_year or 1800) <= self.rup_year <= this_year:
            errors["rup_year"] = _("L'année de reconnaissance doit suivre la fondation et ne pas être à venir.")
        if errors:
            raise ValidationError(errors)

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def partner_contact(self):
        """'Délégation régionale – commission partenariats': who professionals call, as one line."""
        return " – ".join(part for part in (self.partner_contact_name, self.partner_contact_role) if part)

    @property
    def has_partner_contact(self):
        return any(getattr(self, name) for name in self.PARTNER_FIELDS)

    @property
    def activities(self):
        return [str(self._meta.get_field(name).verbose_name) for name in self.ACTIVITY_FIELDS if getattr(self, name)]
