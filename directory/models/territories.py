"""Regions, départements and communes: the reference territories, and finding a commune from what a person typed."""

import difflib
import re

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections, models
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

    def counted(self, groups, meetings, held_only=False):
        """The territories as a list, with the counts of `with_counts`, from two grouped aggregates.

        Cheaper than the correlated subqueries for a whole region (one pass over each
        table instead of one per territory), when no filter or order needs the counts.
        With `held_only`, only those holding some of `groups` or `meetings` (as `with_any`).
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
        if held_only:
            return [territory for territory in territories if territory.group_count or territory.meeting_count]
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
# Misspellings ("Epinall"): how alike a name must be, and how close to the best one a second must come.
SIMILAR_TRIGRAMS = 0.4  # pg_trgm similarity
SIMILAR_RATIO = 0.75  # difflib ratio, stricter: it has no notion of word boundaries
CLOSE_RUNNERS_UP = 0.1
# On SQLite the candidates share the typed name's first letter: a few hundred names at most.
FUZZY_CANDIDATES = 1200


class CommuneQuerySet(TerritoryQuerySet):
    group_path = "commune"
    meeting_path = "venue__commune"

    def lookup(self, text, limit=20):
        """Communes matching what a person typed, in one query: a postal code, an INSEE
        code, a name, or a name with its postal code ("Épinal (88000)", as our choice
        links write it).

        Several results mean the input is ambiguous: the caller offers the choice
        rather than guess. A five-digit code is a postal code first (people know
        those; 416 INSEE codes of Grand Est are also another commune's postal code),
        an INSEE code only when no commune has it as postal code. A name found by
        none of these is looked up as a misspelling (`similar`).
        """
        text = (text or "").strip()[:100]
        if text.isdigit() and len(text) == 5:
            # A postal code is what people type: 51100 is Reims, not La Caure (INSEE 51100).
            by_postal_code = list(self.filter(postal_codes__contains=text).order_by("-population")[:limit])
            by_postal_code = [c for c in by_postal_code if text in c.postal_codes.split()]
            return by_postal_code or list(self.filter(pk=text))
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
        return sorted(exact or rows, key=lambda c: -(c.population or 0)) or self.similar(folded)

    def similar(self, folded, limit=5):
        """Communes whose name is like `folded` though misspelt ("epinall", "strasbour", "sarreguemine").

        Trigram similarity on PostgreSQL (pg_trgm); on SQLite, difflib over the
        names sharing the first letter. The best first, with those nearly as good.
        """
        if len(folded) < 3:
            return []
        if connections[self.db].vendor == "postgresql":
            scored = [
                (commune.similarity, commune)
                for commune in self.annotate(similarity=TrigramSimilarity("search_name", folded))
                .filter(similarity__gte=SIMILAR_TRIGRAMS)
                .order_by("-similarity", "-population")[:limit]
            ]
        else:
            names = self.filter(search_name__startswith=folded[0]).values_list("pk", "search_name")
            ratios = {pk: difflib.SequenceMatcher(None, folded, name).ratio() for pk, name in names[:FUZZY_CANDIDATES]}
            best = sorted((r, pk) for pk, r in ratios.items() if r >= SIMILAR_RATIO)[-limit:]
            found = self.in_bulk([pk for _, pk in best])
            scored = [(ratio, found[pk]) for ratio, pk in best]
        if not scored:
            return []
        top = max(score for score, _ in scored)
        return [
            c
            for score, c in sorted(scored, key=lambda item: (-item[0], -(item[1].population or 0)))
            if score >= top - CLOSE_RUNNERS_UP
        ]


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
