"""The meeting finder's filters: the public query-string contract of /reunions/.

Every parameter of DOMAIN.md is a filter here, so the HTML finder, the CSV and
the calendar exports share one definition of "the same search".
"""

from datetime import time
from decimal import Decimal
from functools import cached_property

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import (
    LANGUAGE_NAMES,
    AddictionType,
    Audience,
    Commune,
    Department,
    Meeting,
    Movement,
    site_region_name,
)
from .models.occurrences import WHEN_CHOICES
from .recurrence import DAY_LABELS, DAY_NAMES
from .search import text_search

DEFAULT_RADIUS_KM = 20
MAX_RADIUS_KM = 200
TEXT_MAX_LENGTH = 200

# Contract values, never translated: they are in bookmarked URLs (the labels are).
DAYS = list(zip(DAY_NAMES, DAY_LABELS, strict=True))
DAY_NUMBERS = {name: number for number, name in enumerate(DAY_NAMES)}
MOMENTS = [
    ("matin", _("le matin (avant 12 h)")),
    ("apres-midi", _("l'après-midi (12 h – 18 h)")),
    ("soir", _("le soir (à partir de 18 h)")),
]
MOMENT_RANGES = {
    "matin": Q(start_time__lt=time(12)),
    "apres-midi": Q(start_time__gte=time(12), start_time__lt=time(18)),
    "soir": Q(start_time__gte=time(18)),
}
PUBLICS = [(Audience.CONCERNED.value, _("Personnes concernées")), (Audience.RELATIVES.value, _("Entourage"))]
LANGUAGES = list(LANGUAGE_NAMES.items())
RADII = [5, 10, 20, 30, 50, 100]
# Metropolitan France, generously: a position outside is a mistake or a traveller far away.
FRANCE_LAT = (41.2, 51.2)
FRANCE_LON = (-5.3, 9.7)


def radius_text(km):
    """'7,5' for 7.5, '30' for 30: a radius as a person reads it, in the active language."""
    return number_format(Decimal(f"{float(km):g}"))


class CommuneField(forms.CharField):
    """What a person typed, resolved to one Commune; an ambiguous text carries its choices."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = Commune.objects.select_related("department").lookup(text)
        if not found:
            raise forms.ValidationError(
                _("Commune inconnue (%(region)s) : « %(text)s ». Essayez son code postal ou son nom."),
                params={"text": text[:60], "region": site_region_name()},
                code="unknown",
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Plusieurs communes correspondent à « %(text)s » : précisez laquelle."),
                params={"text": text[:60], "choices": found},
                code="ambiguous",
            )
        return found[0]


class RadiusField(forms.DecimalField):
    """Kilometres around the commune: the presets, plus the value in the URL if it is another."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # "30.0" in a URL selects the "30" option.
        try:
            return f"{float(value):g}"
        except (TypeError, ValueError):
            return value

    def offer(self, data_value):
        """Options of the select: the default, the presets and a kept custom radius, all valid."""
        kept = self.prepare_value(data_value)
        radii = {float(km) for km in RADII}
        try:
            custom = float(kept)
        except (TypeError, ValueError):
            custom = None
        if custom is not None and 1 <= custom <= MAX_RADIUS_KM:
            radii.add(custom)
        default = _("%(km)s km (par défaut)") % {"km": DEFAULT_RADIUS_KM}
        self.widget.choices = [("", default)] + [(f"{km:g}", f"{radius_text(km)} km") for km in sorted(radii)]


class CommuneChoicesMixin:
    """For a form with a `CommuneField` named `commune`: what an ambiguous entry may mean."""

    @property
    def commune_choices(self):
        """The communes an ambiguous `commune` may mean, most populous first; [] otherwise."""
        for error in self.errors.as_data().get("commune", []):
            if error.code == "ambiguous":
                return error.params["choices"]
        return []


class FinderForm(CommuneChoicesMixin, forms.Form):
    """The finder's form: a territory (commune and radius, or départements) and criteria."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["rayon"].offer(self.data.get("rayon"))

    @property
    def only_ambiguous(self):
        """Nothing wrong but an ambiguous commune: a choice to offer, not a bad request."""
        return list(self.errors) == ["commune"] and bool(self.commune_choices)

    def clean(self):
        cleaned = super().clean()
        position = [cleaned.get("lat"), cleaned.get("lon")]
        if any(value is not None for value in position) and None in position and not {"lat", "lon"} & set(self.errors):
            self.add_error("lat", _("Une position a besoin d'une latitude et d'une longitude."))
        located = cleaned.get("commune") or None not in position
        if cleaned.get("rayon") and not located and not {"commune", "lat", "lon"} & set(self.errors):
            self.add_error("rayon", _("La distance s'applique autour d'une commune : indiquez-en une."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Each field in error points to the list of errors at the top of the form.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = "erreurs"


class CoordinateField(forms.FloatField):
    """A latitude or longitude, rounded to 2 decimals (about 1 km): no more precise position is used."""

    def __init__(self, *args, bounds, **kwargs):
        self.bounds = bounds
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # Echoed in the page's form only as rounded as it is used.
        try:
            return f"{round(float(value), 2):g}"
        except (TypeError, ValueError, OverflowError):
            return value

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return None
        low, high = self.bounds
        if not low <= number <= high:
            raise forms.ValidationError(
                _("Cette position est hors de France : cherchez plutôt par commune ou code postal."), code="outside"
            )
        return round(number, 2)


class CoordinateFilter(django_filters.NumberFilter):
    field_class = CoordinateField


class CommuneFilter(django_filters.CharFilter):
    field_class = CommuneField


class RadiusFilter(django_filters.NumberFilter):
    field_class = RadiusField


class MeetingFilter(django_filters.FilterSet):
    # Every filter follows forward relations or the meeting's own columns: no row can repeat,
    # so no DISTINCT (which would wrap counts in a subquery too deep for SQLite's parser).
    q = django_filters.CharFilter(
        label=_("Mots-clés"),
        method="filter_text",
        max_length=TEXT_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("mouvement, lieu, groupe…")}),
    )
    commune = CommuneFilter(
        label=_("Commune ou code postal"),
        method="filter_noop",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("ex. Nancy, 88000")}),
    )
    rayon = RadiusFilter(label=_("Distance (km)"), method="filter_noop", min_value=1, max_value=MAX_RADIUS_KM)
    lat = CoordinateFilter(label=_("Latitude"), method="filter_noop", bounds=FRANCE_LAT)
    lon = CoordinateFilter(label=_("Longitude"), method="filter_noop", bounds=FRANCE_LON)
    quand = django_filters.ChoiceFilter(
        label=_("Quand"), choices=WHEN_CHOICES, method="filter_when", empty_label=_("Toutes les dates")
    )
    jour = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Jour"), choices=DAYS, method="filter_days", widget=forms.CheckboxSelectMultiple
    )
    moment = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Moment"),
        choices=MOMENTS,
        method="filter_moments",
        widget=forms.CheckboxSelectMultiple,
    )
    public = django_filters.ChoiceFilter(
        label=_("Pour qui"), choices=PUBLICS, method="filter_public", empty_label=_("Tous"), widget=forms.RadioSelect
    )
    addiction = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        label=_("Addiction"),
        to_field_name="slug",
        queryset=AddictionType.objects.all(),
        method="filter_addictions",
        widget=forms.CheckboxSelectMultiple,
    )
    mouvement = django_filters.ModelMultipleChoiceFilter(
        distinct=False,
        label=_("Mouvement"),
        field_name="group__movement__slug",
        to_field_name="slug",
        queryset=Movement.objects.published(),
        widget=forms.CheckboxSelectMultiple,
    )
    type = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Type de réunion"), choices=Meeting.Type.choices, widget=forms.CheckboxSelectMultiple
    )
    modalite = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Modalité"),
        field_name="modality",
        choices=Meeting.Modality.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    departement = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Département"),
        field_name="venue__commune__department",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    accessible = django_filters.ChoiceFilter(
        label=_("Accessibilité"),
        choices=[("1", _("accessible en fauteuil roulant"))],
        method="filter_accessible",
        empty_label=_("Indifférent"),
    )
    langue = django_filters.ChoiceFilter(
        label=_("Langue"), choices=LANGUAGES, method="filter_language", empty_label=_("Toutes")
    )

    TERRITORIAL = ("commune", "rayon", "departement", "lat", "lon")

    class Meta:
        model = Meeting
        fields = []
        form = FinderForm

    def __init__(self, data=None, *args, now=None, **kwargs):
        # One instant for the whole search: its windows, its order and its labels agree.
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)
        self.filters["departement"].extra["choices"] = [
            (d.code, f"{d.code} – {d.name}") for d in Department.objects.all()
        ]

    # Territory is applied apart from the other criteria: meetings joinable online
    # match every criterion but the territory, so they are offered beside the places.
    @property
    def resolved_commune(self):
        return self.form.cleaned_data.get("commune") if self.is_valid() else None

    @property
    def radius(self):
        rayon = self.form.cleaned_data.get("rayon") if self.is_valid() else None
        return float(rayon) if rayon else DEFAULT_RADIUS_KM

    @property
    def position(self):
        """(lat, lon) of the commune, else of "près de moi", else None.

        A commune typed after "près de moi" wins over the position kept in the form.
        """
        data = self.form.cleaned_data if self.is_valid() else {}
        commune = self.resolved_commune
        if commune:
            return commune.latitude, commune.longitude
        if data.get("lat") is not None and data.get("lon") is not None:
            return data["lat"], data["lon"]
        return None

    @property
    def is_territorial(self):
        data = self.form.cleaned_data if self.is_valid() else {}
        return bool(self.position or data.get("departement"))

    def matching(self, queryset):
        """`queryset` narrowed by every criterion but the territory."""
        for name, value in self.form.cleaned_data.items():
            if name not in self.TERRITORIAL:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def held_here(self, queryset):
        """Meetings of `queryset` held within the territory: nearest first around a commune."""
        queryset = self.filters["departement"].filter(queryset, self.form.cleaned_data.get("departement"))
        if self.position:
            return queryset.near(*self.position, self.radius).in_time_order()
        return queryset.filter(venue__isnull=False).in_time_order()

    def filter_queryset(self, queryset):
        matching = self.matching(queryset)
        return self.held_here(matching) if self.is_territorial else matching.in_time_order()

    @cached_property
    def online_qs(self):
        """Beside a territorial list: the meetings joinable from anywhere that it does not hold.

        Online meetings, and hybrid ones held elsewhere; none without a territory
        (the list itself then holds them). Built from the same criteria as `qs`,
        without evaluating it.
        """
        if not self.is_valid() or not self.is_territorial:
            return self.queryset.none()
        matching = self.matching(self.queryset.all())
        if self.position is None:
            # Held in the départements asked for is a property of the row (its venue's): no
            # NOT IN over every meeting held there (80 ms for the Moselle at 100,000 meetings).
            held = Q(venue__commune__department__in=self.form.cleaned_data["departement"])
            return matching.joinable_online().exclude(held).in_time_order()
        here = self.held_here(matching).order_by().values("pk")
        return matching.joinable_online().exclude(pk__in=here).in_time_order()

    @cached_property
    def joinable_qs(self):
        """Beside a territorial list: every meeting joinable from anywhere that matches the other criteria.

        Exactly what the finder lists without territory for `modalite=en-ligne&modalite=hybride`
        (`Search.online_query`), in the same order, so the section's count is that page's count.
        """
        if not self.is_valid() or not self.is_territorial:
            return self.queryset.none()
        return self.matching(self.queryset.all()).joinable_online().in_time_order()

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_when(self, queryset, name, value):
        return queryset.occurring(value, self.now) if value else queryset

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value, connection.vendor)

    def filter_addictions(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(group__movement__in=Movement.objects.filter(addictions__in=value))

    def filter_days(self, queryset, name, value):
        return queryset.filter(weekday__in=[DAY_NUMBERS[day] for day in value]) if value else queryset

    def filter_moments(self, queryset, name, value):
        condition = Q()
        for moment in value:
            condition |= MOMENT_RANGES[moment]
        return queryset.filter(condition)

    def filter_public(self, queryset, name, value):
        return queryset.filter(audience__in=[value, Audience.ALL]) if value else queryset

    def filter_accessible(self, queryset, name, value):
        return queryset.filter(venue__wheelchair_accessible=True) if value else queryset

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(languages=value)
            | Q(languages__startswith=f"{value} ")
            | Q(languages__endswith=f" {value}")
            | Q(languages__contains=f" {value} ")
        )
