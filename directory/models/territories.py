"""Regions, départements and communes: the reference territories, and finding a commune from what a person typed."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text import search_name
from .validators import postal_codes_validator, validate_single_line

ALL_REGIONS = "all"


def region_name(code):
    """The region's name from the reference data ("Grand Est"), or "France" for ALL_REGIONS."""
    if code == ALL_REGIONS:
        return "France"
    name = _REGION_NAMES.get(code)
    if name is None:
        name = Region.objects.filter(code=code).values_list("name", flat=True).first()
        if name:
            _REGION_NAMES[code] = name
    return name or ""


# Region names never change (INSEE data): read once per process, per code.
_REGION_NAMES = {}


def site_region_name():
    """The territory the directory covers, as settings.REGION says."""
    return region_name(settings.REGION)


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True, validators=[validate_single_line])
    name = models.CharField(_("nom"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True, validators=[validate_single_line])

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:department_list")


def _count(queryset, path, counted="pk", distinct=False):
    """How many rows of `queryset` have `path` equal to the outer row: a correlated subquery, 0 when none."""
    rows = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count(counted, distinct=distinct))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class TerritoryQuerySet(models.QuerySet):
    """Territories with what the directory holds there, counted in the database.

    A group belongs where its commune is; a meeting where it is held (its venue's
    commune), as the finder's territory filters mean it, so that a count and the
    finder list it links to agree. Meetings joinable online only belong nowhere.
    """

    group_path = meeting_path = ""

    def with_counts(self, groups, meetings):
        return self.annotate(
            group_count=_count(groups, self.group_path),
            demo_group_count=_count(groups.filter(is_demo=True), self.group_path),
            movement_count=_count(groups, self.group_path, "movement", distinct=True),
            meeting_count=_count(meetings, self.meeting_path),
        )

    def counted(self, groups, meetings):
        """The territories as a list, with the counts of `with_counts`, from two grouped aggregates.

        Cheaper than the correlated subqueries for a whole region (one pass over each
        table instead of one per territory), when no filter or order needs the counts.
        """
        by_group = (
            groups.order_by()
            .values(self.group_path)
            .annotate(
                group_count=Count("pk"),
                demo_group_count=Count("pk", filter=Q(is_demo=True)),
                movement_count=Count("movement", distinct=True),
            )
        )
        found = {row.pop(self.group_path): row for row in by_group}
        by_meeting = meetings.order_by().values(self.meeting_path).annotate(meeting_count=Count("pk"))
        for row in by_meeting:
            found.setdefault(row.pop(self.meeting_path), {}).update(row)
        territories = list(self)
        for territory in territories:
            counts = found.get(territory.pk, {})
            for name in ("group_count", "demo_group_count", "movement_count", "meeting_count"):
                setattr(territory, name, counts.get(name, 0))
        return territories

    def with_any(self, groups, meetings):
        """Only the territories holding some of `groups` or `meetings`, with their counts."""
        held = Q(pk__in=groups.values(self.group_path)) | Q(pk__in=meetings.values(self.meeting_path))
        return self.filter(held).with_counts(groups, meetings)


class DepartmentQuerySet(TerritoryQuerySet):
    group_path = "commune__department"
    meeting_path = "venue__commune__department"


class Department(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True, validators=[validate_single_line])
    name = models.CharField(_("nom"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, validators=[validate_single_line])
    name_with_article = models.CharField(
        _("nom avec article"), max_length=100, blank=True, validators=[validate_single_line]
    )
    region = models.ForeignKey(Region, models.PROTECT, related_name="departments", verbose_name=_("région"))
    # Départements sharing a border (from the reference data): suggestions when a search is empty.
    neighbours = models.ManyToManyField("self", blank=True, verbose_name=_("départements voisins"))

    objects = DepartmentQuerySet.as_manager()

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


class CommuneQuerySet(TerritoryQuerySet):
    group_path = "commune"
    meeting_path = "venue__commune"

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
    insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True, validators=[validate_single_line])
    name = models.CharField(_("nom"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, validators=[validate_single_line])
    search_name = models.CharField(
        _("nom de recherche"), max_length=100, db_index=True, editable=False, validators=[validate_single_line]
    )
    department = models.ForeignKey(Department, models.PROTECT, related_name="communes", verbose_name=_("département"))
    postal_codes = models.CharField(
        _("codes postaux"), max_length=200, validators=[validate_single_line, postal_codes_validator]
    )
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
