"""A département page for professionals: the finder's search there, narrowed by a subset of its filters.

The page describes what `/reunions/?departement=<code>&…` lists (meetings held in
the département, then those joinable online), so that its counts, its print
page, its poster and its exports all describe the same meetings. It shows a
bounded summary (counts per movement and commune, the next meetings) computed in
the database, and links to the finder and the print page for the whole list.
"""

from functools import cached_property
from operator import attrgetter

from django.db.models import Count, Exists, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse

from . import paper
from .finder import Search
from .models import Commune, Group, Meeting, Movement
from .models.meetings import NOT_DEMO

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
    def _by_movement(self):
        """Per movement: the meetings held here, and those joinable online beside them, with how many are real.

        Two grouped aggregates, one pass each, for every count of the page: the online ones are
        the section's list (`joinable_qs`) less the joinable meetings held here, which is
        `online_qs` without its NOT IN over the département's meetings (a second pass).
        """
        joinable = ~Q(modality=Meeting.Modality.IN_PERSON)
        here = (
            self.search.results.order_by()
            .values("group__movement")
            .annotate(
                n=Count("pk"),
                real=Count("pk", filter=NOT_DEMO),
                joinable=Count("pk", filter=joinable),
                joinable_real=Count("pk", filter=joinable & NOT_DEMO),
            )
        )
        online = self.search.filter.joinable_qs.order_by().values("group__movement")
        online = online.annotate(n=Count("pk"), real=Count("pk", filter=NOT_DEMO))
        counts = {}
        for row in here:
            counts[row["group__movement"]] = {
                "here": row["n"],
                "here_real": row["real"],
                "online": -row["joinable"],
                "online_real": -row["joinable_real"],
            }
        for row in online:
            found = counts.setdefault(
                row["group__movement"], dict.fromkeys(("here", "here_real", "online", "online_real"), 0)
            )
            found["online"] += row["n"]
            found["online_real"] += row["real"]
        return counts

    def _total(self, key):
        return sum(row[key] for row in self._by_movement.values())

    @cached_property
    def here_count(self):
        return self._total("here")

    @cached_property
    def online_count(self):
        return self._total("online")

    @property
    def count(self):
        return self.here_count + self.online_count

    @property
    def export_counts(self):
        """What the page's CSV and calendar hold (its two lists) and how many are real, from the same counts."""
        return self.count, self._total("here_real") + self._total("online_real")

    @cached_property
    def next_meetings(self):
        return list(self.search.results[:NEXT_MEETINGS])

    @cached_property
    def online_preview(self):
        return list(self.search.filter.online_qs[:NEXT_MEETINGS])

    @cached_property
    def communes(self):
        """(the communes holding the most of these meetings, by name; how many others hold some).

        Grouped aggregates over the département's meetings and groups, one pass each: counting
        per commune in correlated subqueries cost 0.6 s at 100,000 meetings.
        """
        found = {}
        meetings = self.search.results.order_by().values("venue__commune").annotate(n=Count("pk"))
        for row in meetings:
            found[row["venue__commune"]] = {"meeting_count": row["n"]}
        if not self.filtered:
            groups = Group.objects.published().filter(commune__department=self.department)
            rows = (
                groups.order_by()
                .values("commune")
                .annotate(
                    n=Count("pk"), demo=Count("pk", filter=Q(is_demo=True)), movements=Count("movement", distinct=True)
                )
            )
            for row in rows:
                found.setdefault(row["commune"], {}).update(
                    group_count=row["n"], demo_group_count=row["demo"], movement_count=row["movements"]
                )
        communes = Commune.objects.in_bulk(list(found))
        for insee, counts in found.items():
            for name in ("group_count", "demo_group_count", "movement_count", "meeting_count"):
                setattr(communes[insee], name, counts.get(name, 0))
        ranked = sorted(communes.values(), key=lambda c: (-c.meeting_count, -c.group_count, c.search_name))
        shown = sorted(ranked[:COMMUNES_SHOWN], key=attrgetter("search_name"))
        return shown, len(ranked) - len(shown)

    @cached_property
    def groups_without_meetings(self):
        """Published groups of the département with no public meeting: one calls them. None when filtering."""
        if self.filtered:
            return []
        groups = Group.objects.published().filter(commune__department=self.department)
        # An anti-join on the département's groups, not a NOT IN over every public meeting.
        return list(
            groups.exclude(Exists(Meeting.objects.public().filter(group=OuterRef("pk"))))
            .select_related("movement", "commune")
            .order_by("commune__search_name", "name")
        )

    @cached_property
    def movement_counts(self):
        """[(movement, meetings here, meetings online)], by name, counted in the database on the page's lists."""
        counts = {
            pk: [None, row["here"], row["online"]]
            for pk, row in self._by_movement.items()
            if row["here"] or row["online"]
        }
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
