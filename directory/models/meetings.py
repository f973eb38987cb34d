"""Meetings: when (a recurrence), where (a venue or online), for whom; the querysets pages and exports share.

Over 400 lines: the schedule, its suspension window and the validation of a meeting are one
concept read by every page and export; split, their rules would drift apart.
"""

import contextlib
from datetime import date, datetime, timedelta
from itertools import islice

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import recurrence, search
from ..versioning import data_changed
from .base import Publishable, ScopedQuerySet
from .geo import bounding_box, distance_km, distance_km_expression
from .groups import Group, Venue
from .movements import Audience
from .occurrences import NextOccurrence, NextOccurrenceQuerySet
from .validators import (
    LANGUAGE_NAMES,
    languages_validator,
    phone_validator,
    positions_validator,
    validate_language_codes,
    validate_single_line,
    validate_text,
)

FIRST_DATE_MIN = date(1950, 1, 1)
# A venue farther than this from its group's commune is worth a second look (a Reims group at Charleville).
VENUE_FAR_FROM_GROUP_KM = 30
MISSING = object()


# What sets real meetings apart from demonstration ones, for rows already public: a filter, or the
# condition of a count (`Count("pk", filter=NOT_DEMO)`) that needs no second pass over the meetings.
NOT_DEMO = Q(is_demo=False, group__is_demo=False)


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class MeetingQuerySet(NextOccurrenceQuerySet, ScopedQuerySet):
    movement_path = "group__movement"

    def published(self):
        return self.filter(published=True, group__published=True, group__movement__published=True)

    def active(self):
        return self.exclude(status=Meeting.Status.CLOSED)

    def joinable_online(self):
        """Meetings one can join from anywhere: online and hybrid ones (`Meeting.is_online` for a row)."""
        return self.exclude(modality=Meeting.Modality.IN_PERSON)

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
        lat_min, lat_max, lon_min, lon_max = bounding_box(latitude, longitude, km)
        queryset = self if "lat" in self.query.annotations else self.with_coordinates()
        return (
            queryset.filter(venue__isnull=False)
            .filter(lat__gte=lat_min, lat__lte=lat_max, lon__gte=lon_min, lon__lte=lon_max)
            .annotate(distance_km=distance_km_expression("lat", "lon", latitude, longitude))
            .filter(distance_km__lte=km)
            .order_by("distance_km", "weekday", "start_time", "pk")
        )

    def public(self):
        """What the public may see of meetings, with what a listing shows of them."""
        return self.published().active().for_listing()

    def exportable(self):
        """What any export (CSV, calendars, feeds, JSON-LD) may show: public, and real.

        `Meeting.is_exportable` says the same of one row already loaded.
        """
        return self.public().filter(NOT_DEMO).with_coordinates()

    def close(self, day, user=None):
        """Close these meetings as of `day`, one save each so that the history says who and when."""
        closed = 0
        for meeting in self.exclude(status=Meeting.Status.CLOSED):
            meeting.status, meeting.closed_on = Meeting.Status.CLOSED, day
            meeting.suspended_from = meeting.suspended_until = None
            meeting._history_user = user
            meeting.save(update_fields=["status", "closed_on", "suspended_from", "suspended_until", "updated_at"])
            closed += 1
        return closed

    def cessation(self):
        """(True, when the last one closed, or None if unknown) when there are meetings and all are
        closed, as for a group that stopped; (False, None) otherwise. One query."""
        found = self.aggregate(
            total=models.Count("pk"),
            open=models.Count("pk", filter=~Q(status=Meeting.Status.CLOSED)),
            last=models.Max("closed_on"),
        )
        if found["total"] and not found["open"]:
            return True, found["last"]
        return False, None

    def rows_of(self, start, stop):
        """Rows [start:stop] of this ordered queryset, as a list: the order is found on ids alone,
        then only those rows are loaded, with everything `for_listing` joins.

        Ordering the whole rows before the slice sorted their movement's long texts too: around
        Nancy at 100,000 meetings, 8,000 rows of 3 KB, a sort spilled to disk (0.2 s of 0.3 s).
        """
        ids = list(self.values_list("pk", flat=True)[start:stop])
        return list(self.filter(pk__in=ids)) if ids else []

    def for_listing(self):
        return self.select_related(
            "group__movement", "group__commune", "venue__commune__department", "group__commune__department"
        )

    def refresh_search(self):
        """Store the searched words of these meetings (`directory.search`); the number of rows written.

        One UPDATE in the database, whatever the number of rows: the folded text
        and, on PostgreSQL, its stemmed French vector.
        """
        words = Subquery(Meeting.objects.filter(pk=OuterRef("pk")).annotate(words=search.haystack()).values("words"))
        fields = {"search_text": words}
        if connection.vendor == "postgresql":
            fields["search_vector"] = search.search_vector(words)
        count = Meeting.objects.filter(pk__in=self.order_by().values("pk")).update(**fields)
        if count:
            data_changed()  # what a text search finds (no signal for a queryset update)
        return count


class SearchTextField(models.TextField):
    """The words a text search matches, written only by `MeetingQuerySet.refresh_search`.

    Any save through the ORM stores NULL ("to refresh"): a meeting just changed
    is then matched on its live columns, never on its former words.
    """

    def pre_save(self, model_instance, add):
        setattr(model_instance, self.attname, None)
        return None


class Meeting(Publishable, NextOccurrence):
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
    name = models.CharField(
        _("intitulé"), max_length=150, blank=True, help_text=_("Facultatif."), validators=[validate_single_line]
    )
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
        validators=[validate_single_line, positions_validator],
        help_text=_("Réunions mensuelles : « 1,3 » pour les 1er et 3e, « -1 » pour le dernier du mois."),
    )
    starts_on = models.DateField(
        _("première date"), default=date.today, help_text=_("Sert de repère pour « une semaine sur deux ».")
    )
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))

    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.ACTIVE)
    suspended_from = models.DateField(
        _("pas de réunion à partir du"),
        null=True,
        blank=True,
        help_text=_("Vide : dès maintenant. Ex. « 01/08/2027 » et reprise le « 01/09/2027 » : août sans réunion."),
    )
    suspended_until = models.DateField(
        _("reprise le"), null=True, blank=True, help_text=_("Pour une réunion suspendue : date de reprise.")
    )
    closed_on = models.DateField(
        _("fermée le"), null=True, blank=True, help_text=_("Pour une réunion fermée : depuis quand.")
    )

    modality = models.CharField(_("modalité"), max_length=10, choices=Modality, default=Modality.IN_PERSON)
    venue = models.ForeignKey(
        Venue, models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("lieu")
    )
    video_url = models.URLField(_("lien de visioconférence"), blank=True, validators=[validate_single_line])
    phone = models.CharField(
        _("téléphone pour rejoindre"), max_length=30, blank=True, validators=[validate_single_line, phone_validator]
    )
    languages = models.CharField(
        _("langues"),
        max_length=30,
        default="fr",
        validators=[validate_single_line, languages_validator, validate_language_codes],
    )
    notes = models.TextField(_("informations pratiques"), blank=True, validators=[validate_text])
    # Maintained by MeetingQuerySet.refresh_search (the refresh_search command), read by directory.search.
    search_text = SearchTextField(_("texte de recherche"), null=True, editable=False, validators=[validate_text])
    search_vector = SearchVectorField(_("vecteur de recherche"), null=True, editable=False)

    objects = MeetingQuerySet.as_manager()
    revisions = HistoricalRecords(
        excluded_fields=["updated_at", "search_text", "search_vector", "next_start", "next_end"]
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["weekday", "start_time", "pk"]
        # The GIN indexes of the search columns are PostgreSQL's own: see migration search_columns.
        indexes = [
            models.Index(fields=["id"], condition=Q(search_text__isnull=True), name="meeting_search_stale"),
            # The rows `public()` may show, with every column its counts read: counts and aggregates over
            # all meetings (finder, home, territories) scan this index alone (3 MB at 100,000 meetings,
            # with PostgreSQL's index-only scans) instead of the table (70 MB, long texts included).
            models.Index(
                fields=["group", "venue", "modality", "is_demo", "id"],
                condition=Q(published=True) & ~Q(status="closed"),
                name="meeting_public",
            ),
        ]
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
            models.CheckConstraint(
                condition=Q(suspended_from__isnull=True) | Q(suspended_from__lt=F("suspended_until")),
                name="meeting_suspension_starts_before_return",
                violation_error_message=_("La suspension doit commencer avant la date de reprise."),
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

    def recurrence_rule(self, since=None):
        """The schedule as a dateutil rule: the one source of its dates, its RRULE and its wording."""
        return recurrence.build(self.frequency, self.interval, self.weekday, self.position_list, self.starts_on, since)

    @property
    def rrule(self):
        return recurrence.rrule_text(self.recurrence_rule())

    @property
    def schedule_display(self):
        return recurrence.describe(self.recurrence_rule())

    @property
    def is_online(self):
        return self.modality != self.Modality.IN_PERSON

    @property
    def is_in_person(self):
        return self.modality != self.Modality.ONLINE

    @property
    def is_exportable(self):
        """`MeetingQuerySet.exportable()` for one row: published, not closed, not demonstration."""
        return (
            self.published
            and self.group.published
            and self.group.movement.published
            and self.status != self.Status.CLOSED
            and not self.is_demo
            and not self.group.is_demo
        )

    def hidden_reasons(self):
        """Why the public does not see this meeting, as (what to fix, wording) pairs; [] when it does.

        The row-level reading of `MeetingQuerySet.public()`: published, in a published group, not closed.
        """
        reasons = []
        if not self.published:
            reasons.append(("meeting", _("la réunion n'est pas publiée")))
        if self.status == self.Status.CLOSED:
            reasons.append(("closed", _("la réunion est fermée")))
        return reasons + self.group.hidden_reasons()

    def venue_distance_from_group_km(self):
        """How far the venue is from the group's commune, or None when either is unknown."""
        if self.venue is None or self.group_id is None:
            return None
        return distance_km(*self.venue.coordinates, self.group.commune.latitude, self.group.commune.longitude)

    @property
    def venue_is_far_from_group(self):
        km = self.venue_distance_from_group_km()
        return km is not None and km > VENUE_FAR_FROM_GROUP_KM

    @property
    def suspension_window(self):
        """(first day without meeting, day of return) of a suspended meeting, else None.

        The one reading of the suspension fields: dates, wording and exports all go through it.
        """
        if self.status != self.Status.SUSPENDED or self.suspended_until is None:
            return None
        return (self.suspended_from or date.min, self.suspended_until)

    @property
    def is_suspended(self):
        """Suspended now. A suspension to come leaves the meeting as it is until it begins."""
        window = self.suspension_window
        return window is not None and window[0] <= timezone.localdate()

    @property
    def suspension_ahead(self):
        """The (first, last) days without meeting of a suspension still to come, else None."""
        window = self.suspension_window
        if window is None or window[0] <= timezone.localdate():
            return None
        return window[0], window[1] - timedelta(days=1)

    @property
    def suspension_note(self):
        """'Suspendue, reprise le 01/09/2026', 'Pas de réunion du 01/08/2027 au 31/08/2027', or ''."""
        if self.is_suspended:
            return _("Suspendue, reprise le %(date)s") % {"date": f"{self.suspended_until:%d/%m/%Y}"}
        ahead = self.suspension_ahead
        if ahead:
            return _("Pas de réunion du %(start)s au %(end)s") % {
                "start": f"{ahead[0]:%d/%m/%Y}",
                "end": f"{ahead[1]:%d/%m/%Y}",
            }
        return ""

    def skipped_dates(self):
        """The dates the schedule has inside its suspension window, from the first date on.

        What a calendar must leave out (EXDATE) when the series itself goes on.
        """
        window = self.suspension_window
        first = self.first_date
        if window is None or first is None:
            return []
        start, back_on = max(window[0], first), window[1]
        if start >= back_on:
            return []
        return list(recurrence.dates(self.recurrence_rule(since=start), start, back_on - timedelta(days=1)))

    @property
    def time_range_text(self):
        """'de 20:00 à 22:00', as every text export words the hours."""
        return _("de %(start)s à %(end)s") % {"start": f"{self.start_time:%H:%M}", "end": f"{self.end_time:%H:%M}"}

    def iter_occurrences(self, start, end):
        """Dates from `start` to `end` (or date.max), lazily: the one place closing and suspending act."""
        if self.status == self.Status.CLOSED:
            return iter(())
        window = self.suspension_window
        if window and window[0] <= start:
            start, window = max(start, window[1]), None
        dates = recurrence.dates(self.recurrence_rule(since=start), start, end)
        if window is None:
            return dates
        first_off, back_on = window
        return (day for day in dates if not first_off <= day < back_on)

    def occurrences(self, start, end):
        return list(self.iter_occurrences(start, end))

    @property
    def first_date(self):
        """The first date the meeting takes place: on or after `starts_on`, after a suspension; None if closed."""
        return next(self.iter_occurrences(self.starts_on, date.max), None)

    def next_dates(self, count=3, after=None):
        """The next `count` starts as aware datetimes (local wall-clock time), skipping one already begun."""
        now = timezone.localtime(after or timezone.now())
        tz = timezone.get_current_timezone()
        starts = (
            timezone.make_aware(datetime.combine(day, self.start_time), tz)
            for day in self.iter_occurrences(now.date(), date.max)
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
            if self.suspended_from and self.suspended_until and self.suspended_from >= self.suspended_until:
                errors["suspended_from"] = _("La suspension doit commencer avant la date de reprise.")
        else:
            # A return date means nothing without a suspension; kept, it would resurface,
            # stale, the day the meeting is suspended again.
            self.suspended_from = self.suspended_until = None
        if self.status != self.Status.CLOSED:
            self.closed_on = None
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
