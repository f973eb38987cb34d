import contextlib
import re
from datetime import date, datetime, timedelta
from itertools import islice
from math import asin, cos, radians, sin, sqrt

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ASin, Coalesce, Cos, Length, Mod, Now, Power, Radians, Sin, Sqrt
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import recurrence
from .text import search_name

EARTH_RADIUS_KM = 6371.0088
# A venue this far from its commune's centre is a typo (swapped or mistyped coordinates).
VENUE_MAX_KM_FROM_COMMUNE = 30
# Languages a meeting may be held in (ISO 639-1), in the order the finder lists them.
LANGUAGE_NAMES = {
    "fr": _("français"),
    "de": _("allemand"),
    "en": _("anglais"),
    "it": _("italien"),
    "es": _("espagnol"),
    "pt": _("portugais"),
    "ar": _("arabe"),
    "tr": _("turc"),
    "pl": _("polonais"),
    "ru": _("russe"),
    "nl": _("néerlandais"),
    "lb": _("luxembourgeois"),
}

languages_validator = RegexValidator(
    r"^[a-z]{2}( [a-z]{2})*$",
    _("Codes de langue ISO 639-1 séparés par des espaces, par exemple « fr de »."),
)


def validate_language_codes(value):
    """Each well-formed code must be a known language (malformed ones are languages_validator's)."""
    for code in value.split():
        if len(code) == 2 and code.isalpha() and code.islower() and code not in LANGUAGE_NAMES:
            raise ValidationError(
                _("Code de langue inconnu : « %(code)s »."), code="unknown_language", params={"code": code}
            )


def validate_verification_date(value):
    """A verification is a fact of the past: a future date would hide an entry from freshness reminders."""
    if value > timezone.localdate():
        raise ValidationError(_("La date de vérification ne peut pas être dans le futur."), code="future")
    if value.year < 2000:
        raise ValidationError(_("Date de vérification invraisemblable."), code="too_old")


phone_validator = RegexValidator(
    r"^[0-9 +.()-]{6,20}$",
    _(
        "Numéro de téléphone : chiffres, espaces et + . ( ) - uniquement, "
        "de 6 à 20 caractères (ex. « 03 83 12 34 56 »)."
    ),
)
positions_validator = RegexValidator(
    r"^(-1|[1-5])(,(-1|[1-5]))*$",
    _("Positions dans le mois séparées par des virgules : 1 à 5, ou -1 pour « dernier » (ex. « 1,3 »)."),
)
postal_codes_validator = RegexValidator(r"^\d{5}( \d{5})*$", _("Codes postaux à 5 chiffres séparés par des espaces."))

FIRST_DATE_MIN = date(1950, 1, 1)
MISSING = object()

REGIONAL_ADMINS_GROUP = "Administrateurs régionaux"
STALE_AFTER_DAYS = 183


def is_regional_admin(user):
    """Superusers and members of the "Administrateurs régionaux" group may do everything."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_regional_admin", None)
    if cached is None:
        cached = user._is_regional_admin = user.groups.filter(name=REGIONAL_ADMINS_GROUP).exists()
    return cached


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), the same formula as MeetingQuerySet.near."""
    a = (
        sin(radians(lat2 - lat1) / 2) ** 2
        + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def stale_before(today=None):
    """Entries verified before this date (or never) are due for a check."""
    return (today or timezone.localdate()) - timedelta(days=STALE_AFTER_DAYS)


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:department_list")


# Which départements of Grand Est touch each other: suggestions when a search is empty.
NEIGHBOURS = {
    "08": ["51", "55"],
    "10": ["51", "52"],
    "51": ["08", "10", "52", "55"],
    "52": ["10", "51", "55", "88"],
    "54": ["55", "57", "67", "88"],
    "55": ["08", "51", "52", "54", "88"],
    "57": ["54", "67"],
    "67": ["54", "57", "68", "88"],
    "68": ["67", "88"],
    "88": ["52", "54", "55", "67", "68"],
}


class Department(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    name_with_article = models.CharField(_("nom avec article"), max_length=100, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="departments", verbose_name=_("région"))

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("directory:department_detail", args=[self.code, self.slug])


NAME_WITH_POSTAL_CODE = re.compile(r"^(?:(\d{5})\s+(.+)|(.+?)\s*\(?(\d{5})\)?)$")
# An exact name loses its claim when a commune this many times bigger starts with it ("Charleville").
MUCH_BIGGER = 10


class CommuneQuerySet(models.QuerySet):
    def lookup(self, text, limit=20):
        """Communes matching what a person typed, in one query: a postal code, an INSEE
        code, a name, or a name with its postal code ("Épinal (88000)", as our choice
        links write it).

        Several results mean the input is ambiguous: the caller offers the choice
        rather than guess. Postal codes come before INSEE codes (people know the
        former; 416 INSEE codes of Grand Est are also another commune's postal code),
        then the most populous first.
        """
        text = (text or "").strip()[:100]
        if text.isdigit() and len(text) == 5:
            rows = list(self.filter(Q(pk=text) | Q(postal_codes__contains=text)).order_by("-population")[:limit])
            by_postal_code = [c for c in rows if text in c.postal_codes.split()]
            return by_postal_code + [c for c in rows if c not in by_postal_code]
        named = NAME_WITH_POSTAL_CODE.match(text)
        if named:
            code = named.group(1) or named.group(4)
            folded = search_name(named.group(2) or named.group(3))
            rows = [c for c in self.filter(search_name=folded, postal_codes__contains=code) if code in c.postal_codes]
            if rows:
                return rows
        folded = search_name(text)
        if not folded:
            return []
        rows = list(self.filter(search_name__startswith=folded).order_by(Length("search_name"), "-population")[:limit])
        exact = [c for c in rows if c.search_name == folded]
        if exact:
            largest = max(c.population or 0 for c in exact)
            exact += [c for c in rows if c not in exact and (c.population or 0) > MUCH_BIGGER * max(largest, 200)]
        return sorted(exact or rows, key=lambda c: -(c.population or 0))


class Commune(models.Model):
    insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    search_name = models.CharField(_("nom de recherche"), max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(Department, models.PROTECT, related_name="communes", verbose_name=_("département"))
    postal_codes = models.CharField(_("codes postaux"), max_length=200, validators=[postal_codes_validator])
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["search_name", "insee"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=41, latitude__lte=51.5, longitude__gte=-5.5, longitude__lte=10),
                name="commune_coordinates_in_france",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.postal_code})"

    def get_absolute_url(self):
        return reverse("directory:commune_detail", args=[self.insee, self.slug])

    @property
    def postal_code(self):
        return self.postal_codes.split(" ")[0]

    @property
    def unambiguous_name(self):
        """What `Commune.objects.lookup` resolves to this commune alone."""
        return f"{self.name} ({self.postal_code})"


class AddictionType(models.Model):
    slug = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=60)
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


class ScopedQuerySet(models.QuerySet):
    """Rows a staff user may see (or, with `editable=True`, change) in the admin.

    `movement_path` is the lookup from the model to its Movement; regional
    administrators see everything, other users only their memberships' movements.
    """

    movement_path = "movement"

    def for_user(self, user, editable=False):
        if is_regional_admin(user):
            return self.all()
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        return self.filter(**{f"{self.movement_path}__in": Membership.movement_ids(user, editable=editable)})

    def stale(self, today=None):
        return self.filter(Q(verified_at__isnull=True) | Q(verified_at__lt=stale_before(today)))


class PublishedQuerySet(ScopedQuerySet):
    movement_path = "pk"

    def published(self):
        return self.filter(published=True)


class Movement(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    acronym = models.CharField(_("sigle"), max_length=20, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    founded_year = models.PositiveSmallIntegerField(_("année de fondation"), null=True, blank=True)
    history = models.TextField(_("histoire"), blank=True, help_text=_("Fondation, arrivée en France."))
    summary = models.CharField(_("en bref"), max_length=300, help_text=_("Une phrase, affichée dans les listes."))
    presentation = models.TextField(_("présentation"), blank=True)
    approach = models.TextField(_("approche"), blank=True)
    audience = models.CharField(_("public"), max_length=10, choices=Audience, default=Audience.ALL)
    audience_details = models.TextField(_("qui le mouvement aide"), blank=True)
    addictions = models.ManyToManyField(AddictionType, blank=True, verbose_name=_("addictions"))

    offers_permanences = models.BooleanField(_("permanences"), default=False)
    offers_home_visits = models.BooleanField(_("visites à domicile"), default=False)
    offers_care_visits = models.BooleanField(_("visites en structure de soins"), default=False)
    offers_prison_visits = models.BooleanField(_("visites en milieu carcéral"), default=False)
    offers_accompaniment = models.BooleanField(_("accompagnement personnalisé"), default=False)
    offers_meetings = models.BooleanField(_("réunions et groupes de parole"), default=False)
    offers_prevention = models.BooleanField(_("actions de prévention"), default=False)
    activities_details = models.TextField(_("activités : précisions"), blank=True)

    volunteer_training = models.TextField(_("formation des bénévoles et parrainage"), blank=True)
    partnerships = models.TextField(_("partenariats"), blank=True)

    # None means "not established": the fiche shows nothing rather than a guess.
    is_rup = models.BooleanField(_("reconnu d'utilité publique"), null=True, blank=True)
    rup_year = models.PositiveSmallIntegerField(_("année de reconnaissance d'utilité publique"), null=True, blank=True)
    has_national_approval = models.BooleanField(
        _("agrément national (représentant des usagers)"), null=True, blank=True
    )
    has_ars_approval = models.BooleanField(_("agrément régional ARS"), null=True, blank=True)
    is_camerup_member = models.BooleanField(_("membre de la CAMERUP"), null=True, blank=True)

    website = models.URLField(_("site national"), blank=True)
    helpline = models.CharField(_("ligne d'écoute"), max_length=30, blank=True, validators=[phone_validator])
    helpline_hours = models.CharField(_("horaires de la ligne d'écoute"), max_length=100, blank=True)
    email = models.EmailField(_("courriel public"), blank=True)
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Une adresse par ligne : d'où viennent ces informations.")
    )
    pending_checks = models.TextField(
        _("à confirmer par le mouvement"),
        blank=True,
        help_text=_("Informations trouvées mais non confirmées : jamais affichées publiquement."),
    )
    published = models.BooleanField(_("publié"), default=False)
    verified_at = models.DateField(
        _("informations vérifiées le"), null=True, blank=True, validators=[validate_verification_date]
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = PublishedQuerySet.as_manager()
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
    def activities(self):
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in (
                "offers_permanences",
                "offers_home_visits",
                "offers_care_visits",
                "offers_prison_visits",
                "offers_accompaniment",
                "offers_meetings",
                "offers_prevention",
            )
            if getattr(self, name)
        ]


class GroupQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(published=True, movement__published=True)


class Group(models.Model):
    movement = models.ForeignKey(Movement, models.CASCADE, related_name="groups", verbose_name=_("mouvement"))
    name = models.CharField(_("nom"), max_length=150, help_text=_("Ex. « Vie Libre – section de Reims »."))
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="groups", verbose_name=_("commune"))
    description = models.TextField(_("présentation"), blank=True)
    email = models.EmailField(_("courriel public"), blank=True)
    phone = models.CharField(_("téléphone public"), max_length=30, blank=True, validators=[phone_validator])
    website = models.URLField(_("site web"), blank=True)
    published = models.BooleanField(_("publié"), default=False)
    is_demo = models.BooleanField(_("exemple"), default=False, help_text=_("Donnée de démonstration, jamais réelle."))
    verified_at = models.DateField(
        _("informations vérifiées le"), null=True, blank=True, validators=[validate_verification_date]
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

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


class VenueQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Venues a user may change or delete.

        Venues are shared places: anyone on staff may use any of them, but a
        coordinator may only change one that no other movement's meeting uses
        — either all its meetings are theirs, or it has none and they created it.
        """
        if is_regional_admin(user):
            return self.all()
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        mine = Membership.movement_ids(user, editable=True)
        # venue__isnull: a NULL in a NOT IN subquery would exclude every row.
        others = Meeting.objects.filter(venue__isnull=False).exclude(group__movement__in=mine).values("venue")
        own_meetings = Meeting.objects.filter(group__movement__in=mine).values("venue")
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

    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type de lieu"), max_length=20, choices=Kind, default=Kind.OTHER)
    address = models.CharField(_("adresse"), max_length=200, help_text=_("Numéro et voie, sans la commune."))
    postal_code = models.CharField(_("code postal"), max_length=5, validators=[RegexValidator(r"^\d{5}$")])
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="venues", verbose_name=_("commune"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("Vide : centre de la commune."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), null=True, blank=True)
    access_notes = models.TextField(_("accès"), blank=True, help_text=_("Étage, entrée, transports en commun…"))
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


class MeetingQuerySet(ScopedQuerySet):
    movement_path = "group__movement"

    def published(self):
        return self.filter(published=True, group__published=True, group__movement__published=True)

    def active(self):
        return self.exclude(status=Meeting.Status.CLOSED)

    def with_coordinates(self):
        return self.annotate(
            lat=Coalesce("venue__latitude", "venue__commune__latitude"),
            lon=Coalesce("venue__longitude", "venue__commune__longitude"),
        )

    def near(self, latitude, longitude, km):
        """Meetings held at a venue within `km` of a point, nearest first, with `distance_km`.

        A bounding box prefilter keeps the trigonometry to a few rows; the
        haversine formula then runs in the database, on SQLite and PostgreSQL.
        """
        from math import cos, radians

        lat_margin = km / 111.2
        lon_margin = km / (111.2 * max(cos(radians(latitude)), 0.01))
        haversine = (
            2
            * EARTH_RADIUS_KM
            * ASin(
                Sqrt(
                    Power(Sin((Radians(F("lat")) - radians(latitude)) / 2), 2)
                    + Cos(radians(latitude))
                    * Cos(Radians(F("lat")))
                    * Power(Sin((Radians(F("lon")) - radians(longitude)) / 2), 2)
                )
            )
        )
        queryset = self if "lat" in self.query.annotations else self.with_coordinates()
        return (
            queryset.filter(venue__isnull=False)
            .filter(
                lat__gte=latitude - lat_margin,
                lat__lte=latitude + lat_margin,
                lon__gte=longitude - lon_margin,
                lon__lte=longitude + lon_margin,
            )
            .annotate(distance_km=haversine)
            .filter(distance_km__lte=km)
            .order_by("distance_km", "weekday", "start_time", "pk")
        )

    def in_week_order(self, today=None):
        """Upcoming weekdays first, starting today, so the list reads like an agenda."""
        offset = 7 - (today or timezone.localdate()).weekday()
        return self.annotate(days_ahead=Mod(F("weekday") + offset, 7)).order_by("days_ahead", "start_time", "pk")

    def public(self):
        """What the public may see of meetings, with what a listing shows of them."""
        return self.published().active().for_listing()

    def for_listing(self):
        return self.select_related(
            "group__movement", "group__commune", "venue__commune__department", "group__commune__department"
        )


class Meeting(models.Model):
    class Type(models.TextChoices):
        SUPPORT_GROUP = "groupe-de-parole", _("Groupe de parole")
        INFORMATION = "reunion-information", _("Réunion d'information")
        DROP_IN = "permanence", _("Permanence d'accueil")
        PHONE = "permanence-telephonique", _("Permanence téléphonique")
        SOCIAL = "rencontre-conviviale", _("Rencontre conviviale")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Hebdomadaire (toutes les N semaines)")
        MONTHLY = "monthly", _("Mensuelle (certains jours du mois)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspendue")
        CLOSED = "closed", _("Fermée")

    class Modality(models.TextChoices):
        IN_PERSON = "presentiel", _("En présentiel")
        ONLINE = "en-ligne", _("En ligne")
        HYBRID = "hybride", _("Hybride (sur place et en ligne)")

    group = models.ForeignKey(Group, models.CASCADE, related_name="meetings", verbose_name=_("groupe"))
    name = models.CharField(_("intitulé"), max_length=150, blank=True, help_text=_("Facultatif."))
    type = models.CharField(_("type"), max_length=30, choices=Type, default=Type.SUPPORT_GROUP)
    audience = models.CharField(_("public"), max_length=10, choices=Audience, default=Audience.ALL)

    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("toutes les N semaines"), default=1, help_text=_("1 : chaque semaine ; 2 : une semaine sur deux.")
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday)
    positions = models.CharField(
        _("positions dans le mois"),
        max_length=20,
        blank=True,
        validators=[positions_validator],
        help_text=_("Réunions mensuelles : « 1,3 » pour les 1er et 3e, « -1 » pour le dernier du mois."),
    )
    starts_on = models.DateField(
        _("première date"), default=date.today, help_text=_("Sert de repère pour « une semaine sur deux ».")
    )
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))

    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.ACTIVE)
    suspended_until = models.DateField(
        _("reprise le"), null=True, blank=True, help_text=_("Pour une réunion suspendue : date de reprise.")
    )

    modality = models.CharField(_("modalité"), max_length=10, choices=Modality, default=Modality.IN_PERSON)
    venue = models.ForeignKey(
        Venue, models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("lieu")
    )
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    phone = models.CharField(_("téléphone pour rejoindre"), max_length=30, blank=True, validators=[phone_validator])
    languages = models.CharField(
        _("langues"), max_length=30, default="fr", validators=[languages_validator, validate_language_codes]
    )
    notes = models.TextField(_("informations pratiques"), blank=True)

    published = models.BooleanField(_("publié"), default=False)
    is_demo = models.BooleanField(_("exemple"), default=False, help_text=_("Donnée de démonstration, jamais réelle."))
    verified_at = models.DateField(
        _("informations vérifiées le"), null=True, blank=True, validators=[validate_verification_date]
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = MeetingQuerySet.as_manager()
    revisions = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["weekday", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message=_("L'heure de fin doit être après l'heure de début."),
            ),
            models.CheckConstraint(
                condition=Q(modality="presentiel") | ~Q(video_url="") | ~Q(phone=""),
                name="meeting_online_has_link_or_phone",
                violation_error_message=_(
                    "Une réunion en ligne ou hybride a besoin d'un lien de visioconférence ou d'un téléphone."
                ),
            ),
            models.CheckConstraint(
                condition=Q(modality="en-ligne") | Q(venue__isnull=False),
                name="meeting_in_person_has_venue",
                violation_error_message=_("Une réunion en présentiel ou hybride a besoin d'un lieu."),
            ),
            models.CheckConstraint(
                condition=(Q(frequency="weekly") & Q(positions=""))
                | (Q(frequency="monthly") & ~Q(positions="") & Q(interval=1)),
                name="meeting_positions_match_frequency",
                violation_error_message=_(
                    "Une réunion mensuelle a besoin d'au moins une position dans le mois (ex. « 1,3 ») ; "
                    "une réunion hebdomadaire n'en a pas."
                ),
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=8),
                name="meeting_interval_range",
                violation_error_message=_("L'intervalle doit être compris entre 1 et 8 semaines."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="meeting_weekday_range",
                violation_error_message=_("Jour de la semaine inconnu."),
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended") | Q(suspended_until__isnull=False),
                name="meeting_suspension_has_end",
                violation_error_message=_("Une réunion suspendue a besoin d'une date de reprise."),
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.schedule_display}"

    def get_absolute_url(self):
        return reverse("directory:meeting_detail", args=[self.pk])

    @property
    def title(self):
        return self.name or f"{self.get_type_display()} – {self.group.name}"

    @property
    def language_names(self):
        return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in self.languages.split())

    @property
    def position_list(self):
        return recurrence.parse_positions(self.positions)

    @property
    def rrule(self):
        return recurrence.rrule(self.frequency, self.interval, self.weekday, self.position_list)

    @property
    def schedule_display(self):
        return recurrence.describe(self.frequency, self.interval, self.weekday, self.position_list)

    @property
    def is_online(self):
        return self.modality != self.Modality.IN_PERSON

    @property
    def is_in_person(self):
        return self.modality != self.Modality.ONLINE

    def iter_occurrences(self, start, end):
        """Dates the meeting takes place between `start` and `end` inclusive, lazily."""
        if self.status == self.Status.CLOSED:
            return iter(())
        if self.status == self.Status.SUSPENDED and self.suspended_until:
            start = max(start, self.suspended_until)
        if self.frequency == self.Frequency.MONTHLY:
            return recurrence.monthly_dates(self.starts_on, self.weekday, self.position_list, start, end)
        return recurrence.weekly_dates(self.starts_on, self.weekday, self.interval, start, end)

    def occurrences(self, start, end):
        return list(self.iter_occurrences(start, end))

    def next_dates(self, count=3, after=None):
        """The next `count` starts as aware datetimes, skipping one already begun."""
        now = timezone.localtime(after or timezone.now())
        tz = timezone.get_current_timezone()
        starts = (
            timezone.make_aware(datetime.combine(day, self.start_time), tz)
            for day in self.iter_occurrences(now.date(), now.date() + timedelta(days=800))
        )
        return list(islice((start for start in starts if start >= now), count))

    @property
    def next_date(self):
        upcoming = self.next_dates(count=1)
        return upcoming[0] if upcoming else None

    @property
    def duplicate_key(self):
        """What find_duplicate compares, for meetings not saved yet (a group's inline forms)."""
        online = (self.video_url, self.phone) if self.venue_id is None else ()
        schedule = (self.weekday, self.start_time, self.frequency, self.interval, self.positions, self.venue_id)
        return (*schedule, *online)

    def find_duplicate(self):
        """Another meeting of the same group on the same schedule at the same place, or None.

        One rule for the admin and the CSV import. A UniqueConstraint would not do:
        online meetings have no venue, and NULLs are distinct in a unique index
        (SQLite; PostgreSQL without NULLS NOT DISTINCT). Online meetings are
        told apart by their link and phone instead.
        """
        if self.group_id is None or self.weekday is None or self.start_time is None:
            return None
        same = Meeting.objects.filter(
            group=self.group_id,
            weekday=self.weekday,
            start_time=self.start_time,
            frequency=self.frequency,
            interval=self.interval,
            positions=self.positions,
            venue=self.venue_id,
        )
        if self.venue_id is None:
            same = same.filter(video_url=self.video_url, phone=self.phone)
        if self.pk is not None:
            same = same.exclude(pk=self.pk)
        return same.order_by("pk").first()

    def _last_saved(self, field_name):
        """`field_name` as last saved: the row, or the history of a deleted meeting being restored.

        MISSING for a meeting never saved.
        """
        if self.pk is None:
            return MISSING
        row = Meeting.objects.filter(pk=self.pk).values_list(field_name, flat=True)
        recorded = Meeting.revisions.filter(id=self.pk).order_by("-history_date").values_list(field_name, flat=True)
        for values in (list(row[:1]), list(recorded[:1])):
            if values:
                return values[0]
        return MISSING

    def clean(self):
        errors = {}
        today = timezone.localdate()
        # "fr fr" or "1,3,1" would be shown and exported twice: keep each once, in order.
        self.languages = " ".join(dict.fromkeys(self.languages.split()))
        with contextlib.suppress(ValueError):  # malformed: the field's validator reports it
            self.positions = ",".join(str(p) for p in recurrence.parse_positions(self.positions))
        if self.frequency == self.Frequency.WEEKLY and self.positions:
            errors["positions"] = _("Les positions dans le mois ne valent que pour une réunion mensuelle.")
        if self.interval is not None and not 1 <= self.interval <= 8:
            errors["interval"] = _("L'intervalle doit être compris entre 1 et 8 semaines.")
        # Malformed positions are reported by the field's validator: parsing them again here
        # would show the same message twice.
        if self.frequency == self.Frequency.MONTHLY and not self.positions.strip():
            errors["positions"] = _("Indiquez quelle(s) semaine(s) du mois : « 1,3 », « -1 » pour la dernière…")
        if self.frequency == self.Frequency.MONTHLY and self.interval not in (None, 1):
            errors["interval"] = _("Une réunion mensuelle n'a pas d'intervalle de semaines : laissez 1.")
        if self.status == self.Status.SUSPENDED:
            if not self.suspended_until:
                errors["suspended_until"] = _("Indiquez la date de reprise de cette réunion suspendue.")
            # Only a date being entered must be to come: a suspension saved earlier whose
            # date has since passed must stay editable (and restorable, and importable as is).
            elif self.suspended_until < today and self.suspended_until != self._last_saved("suspended_until"):
                errors["suspended_until"] = _("La date de reprise doit être à venir.")
        else:
            # A return date means nothing without a suspension; kept, it would resurface,
            # stale, the day the meeting is suspended again.
            self.suspended_until = None
        if self.starts_on and not (FIRST_DATE_MIN <= self.starts_on <= _years_later(today, 2)):
            errors["starts_on"] = _("La première date doit être comprise entre 1950 et dans deux ans au plus.")
        if self.is_online and not (self.video_url or self.phone):
            errors["video_url"] = _(
                "Une réunion en ligne ou hybride a besoin d'un lien de visioconférence ou d'un téléphone."
            )
        if self.is_in_person and not self.venue_id:
            errors["venue"] = _("Une réunion en présentiel ou hybride a besoin d'un lieu.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'heure de fin doit être après l'heure de début.")
        duplicate = self.find_duplicate()
        if duplicate:
            errors[NON_FIELD_ERRORS] = ValidationError(
                _("Cette réunion existe déjà (n°%(id)s) : même groupe, jour, horaire et lieu."),
                code="duplicate",
                params={"id": duplicate.pk},
            )
        if errors:
            raise ValidationError(errors)


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
        memberships = cls.objects.filter(user=user)
        if editable:
            memberships = memberships.filter(role=cls.Role.COORDINATOR)
        return memberships.values("movement")

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
        NEW = "nouvelle", _("Nouvelle")
        HANDLED = "traitee", _("Traitée")
        REJECTED = "rejetee", _("Rejetée")

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
    target_label = models.CharField(_("page concernée"), max_length=300)
    message = models.TextField(_("ce qui est inexact"), max_length=MESSAGE_MAX_LENGTH)
    contact = models.CharField(
        _("contact"),
        max_length=CONTACT_MAX_LENGTH,
        blank=True,
        help_text=_("Facultatif : visible seulement des coordinateurs du mouvement."),
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
    note = models.TextField(_("note interne"), blank=True)

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
