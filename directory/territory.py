"""A département page for professionals: the finder's search there, narrowed by a subset of its filters.

The page lists what `/reunions/?departement=<code>&…` lists (meetings held in
the département, then those joinable online), so that its counts, its print
page, its poster and its exports all describe the same meetings.
"""

from functools import cached_property
from itertools import groupby

from django.http import QueryDict
from django.urls import reverse

from . import paper
from .finder import Search
from .models import Group, Meeting

# The finder's filters a professional narrows a territory with; the others stay on /reunions/.
FILTERS = ("public", "addiction", "mouvement", "type", "modalite")


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
    def meetings(self):
        return list(self.search.results)

    @property
    def online(self):
        return self.search.online

    @cached_property
    def by_commune(self):
        """[(commune, [(group, [meetings])])], communes and groups by name, meetings in week order."""
        ordered = sorted(self.meetings, key=lambda m: (m.venue.commune.search_name, m.group.name, m.group.pk))
        return [
            (commune, [(group, list(items)) for group, items in groupby(meetings, key=lambda m: m.group)])
            for commune, meetings in ((c, list(ms)) for c, ms in groupby(ordered, key=lambda m: m.venue.commune))
        ]

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
        """[(movement, meetings here, meetings online)], by name, counted on the lists the page shows."""
        counts = {}
        for meeting in self.meetings:
            movement = meeting.group.movement
            counts.setdefault(movement.pk, [movement, 0, 0])[1] += 1
        for meeting in self.online:
            movement = meeting.group.movement
            counts.setdefault(movement.pk, [movement, 0, 0])[2] += 1
        for group in self.groups_without_meetings:
            counts.setdefault(group.movement.pk, [group.movement, 0, 0])
        return sorted((tuple(row) for row in counts.values()), key=lambda row: row[0].name)

    @property
    def count(self):
        return len(self.meetings) + len(self.online)

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
