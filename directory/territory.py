"""A département page for professionals: the finder's search there, narrowed by a subset of its filters.

The page describes what `/reunions/?departement=<code>&…` lists (meetings held in
the département, then those joinable online), so that its counts, its print
page, its poster and its exports all describe the same meetings. It shows a
bounded summary (counts per movement and commune, the next meetings) computed in
the database, and links to the finder and the print page for the whole list.
"""

from functools import cached_property
from operator import attrgetter

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse

from . import paper
from .finder import Search
from .models import Commune, Group, Meeting, Movement

# The finder's filters a professional narrows a territory with; the others stay on /reunions/.
FILTERS = ("public", "addiction", "mouvement", "type", "modalite")
NEXT_MEETINGS = 10
COMMUNES_SHOWN = 60


class DepartmentListing:
    def __init__(self, department, data, queryset):
        self.department = department
        self.data = QueryDict(mutable=True)
        self.data["departement"] = department.code
        for name in FILTERS:
            if name in data:
                self.data.setlist(name, data.getlist(name))
        self.search = Search(self.data, queryset=queryset)
        self.form = self.search.form

    def is_valid(self):
        return self.search.is_valid()

    @property
    def fields(self):
        return [self.form[name] for name in FILTERS]

    @property
    def filtered(self):
        return any(self.data.getlist(name) for name in FILTERS)

    @cached_property
    def here_count(self):
        return self.search.results.count()

    @cached_property
    def online_count(self):
        return self.search.filter.online_qs.count()

    @property
    def count(self):
        return self.here_count + self.online_count

    @cached_property
    def next_meetings(self):
        return list(self.search.results[:NEXT_MEETINGS])

    @cached_property
    def online_preview(self):
        return list(self.search.filter.online_qs[:NEXT_MEETINGS])

    @cached_property
    def communes(self):
        """(the communes holding the most of these meetings, by name; how many others hold some)."""
        groups = Group.objects.none() if self.filtered else Group.objects.published()
        communes = Commune.objects.filter(department=self.department).with_any(
            groups.filter(commune__department=self.department), self.search.results
        )
        ranked = communes.order_by("-meeting_count", "-group_count", "search_name")[:COMMUNES_SHOWN]
        shown = sorted(ranked, key=attrgetter("search_name"))
        return shown, max(0, communes.count() - len(shown))

    @cached_property
    def groups_without_meetings(self):
        """Published groups of the département with no public meeting: one calls them. None when filtering."""
        if self.filtered:
            return []
        groups = Group.objects.published().filter(commune__department=self.department)
        return list(
            groups.exclude(pk__in=Meeting.objects.public().values("group"))
            .select_related("movement", "commune")
            .order_by("commune__search_name", "name")
        )

    @cached_property
    def movement_counts(self):
        """[(movement, meetings here, meetings online)], by name, counted in the database on the page's lists."""
        counts = {}
        for column, queryset in ((1, self.search.results), (2, self.search.filter.online_qs)):
            rows = queryset.order_by().values("group__movement").annotate(n=Count("pk"))
            for row in rows:
                counts.setdefault(row["group__movement"], [None, 0, 0])[column] = row["n"]
        for group in self.groups_without_meetings:
            counts.setdefault(group.movement_id, [None, 0, 0])
        movements = Movement.objects.in_bulk(list(counts))
        for pk, row in counts.items():
            row[0] = movements[pk]
        return sorted((tuple(row) for row in counts.values()), key=lambda row: row[0].name)

    @property
    def query(self):
        return paper.query_string(self.data)

    @property
    def poster_query(self):
        return paper.query_string(self.data, drop=("page", "departement"))

    @property
    def links(self):
        department = self.department
        poster = reverse("directory:department_poster_html", args=[department.code, department.slug])
        pdf = reverse("directory:department_poster_pdf", args=[department.code, department.slug])
        suffix = f"?{self.poster_query}" if self.poster_query else ""
        return {
            "print": f"{reverse('directory:meeting_print')}?{self.query}",
            "poster": poster + suffix,
            "poster_pdf": pdf + suffix,
            "finder": f"{reverse('directory:meeting_list')}?{self.query}",
        }
