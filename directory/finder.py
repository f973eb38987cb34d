"""One finder search: its form, its lists and every number the finder page shows of them.

`MeetingFilter` states what the query string means; `Search` answers what the
page needs from it (the list, the meetings joinable online beside it, the map,
the criteria in words, the ways to widen an empty search), each computed from
the queryset of the list it describes, so that a count and its list agree.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filters import MAX_RADIUS_KM, MeetingFilter, radius_text
from .models import Department, Meeting
from .models.meetings import NOT_DEMO

PAGE_SIZE = 20
ONLINE_PREVIEW = 10
MAIN_FIELDS = ("commune", "rayon", "q")
HIDDEN_FIELDS = ("lat", "lon")
TERRITORY = ("commune", "rayon", "departement", "lat", "lon")
# Criteria of time: an online meeting is joinable from anywhere, but not at any hour.
TIME = ("jour", "moment", "quand")


class _RowsById:
    """The list as the Paginator slices it: a page's rows are found by id, then loaded (`rows_of`)."""

    ordered = True

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, window):
        return self.queryset.rows_of(window.start, window.stop)


class Search:
    def __init__(self, data, queryset, now=None, refresh=True):
        self.now = now or timezone.now()
        if refresh:
            # Rows whose occurrence has ended since the last refresh (a handful: cron does the rest),
            # so that the order, the `quand` windows and the labels are right now.
            Meeting.objects.refresh_next_occurrences(self.now, stale_only=True)
        self.data = data
        self.queryset = queryset
        self.filter = MeetingFilter(data, queryset=queryset, now=self.now)
        self.form = self.filter.form

    def is_valid(self):
        return self.filter.is_valid()

    @property
    def errors(self):
        return self.filter.errors

    @property
    def error_status(self):
        """200 for an ambiguous commune (a choice to make), 400 for any other bad value."""
        return 200 if self.form.only_ambiguous else 400

    @property
    def commune_choices(self):
        return self.form.commune_choices

    @property
    def main_fields(self):
        return [self.form[name] for name in MAIN_FIELDS]

    @property
    def refinement_fields(self):
        return [field for field in self.form if field.name not in MAIN_FIELDS + HIDDEN_FIELDS]

    @property
    def hidden_fields(self):
        return [self.form[name] for name in HIDDEN_FIELDS]

    @property
    def submitted(self):
        """Whether anything was asked: the answer then comes first and the form folds behind a summary."""
        return any(value for key, value in (self.data or {}).items() if key != "page")

    @property
    def refined(self):
        """Whether any refinement is asked for: the refinements are then shown unfolded."""
        return any(self.form.data.get(field.name) for field in self.refinement_fields)

    @property
    def commune(self):
        return self.filter.resolved_commune

    @property
    def radius(self):
        return self.filter.radius

    @cached_property
    def results(self):
        """The list: meetings held in the territory, or every match without one."""
        return self.filter.qs

    @cached_property
    def _results_counts(self):
        """The list's counts in one pass: its length (the paginator's), how many are real, and joinable online."""
        joinable = ~Q(modality=Meeting.Modality.IN_PERSON)
        return self.results.order_by().aggregate(
            total=Count("pk"),
            real=Count("pk", filter=NOT_DEMO),
            joinable=Count("pk", filter=joinable),
            joinable_real=Count("pk", filter=joinable & NOT_DEMO),
        )

    def page(self, number):
        paginator = Paginator(_RowsById(self.results), PAGE_SIZE)
        # Django's Paginator would count the list again: a second pass over the meetings.
        paginator.count = self._results_counts["total"]
        self.shown_page = paginator.get_page(number)
        return self.shown_page

    @cached_property
    def online(self):
        """Every meeting joinable online that a territorial list does not hold (`MeetingFilter.online_qs`).

        For paper only, which lists a search whole and each meeting once (as the CSV does);
        the finder page shows `online_count`, `online_preview` and `online_query` instead.
        """
        return list(self.filter.online_qs)

    # The finder page's section "réunions en ligne": a preview and a count of one real list, the
    # finder search at `online_query`. Listing them all in the page cost 6 MB at 100,000 meetings.
    # That list holds the hybrid meetings held in the territory too (a search without territory
    # cannot leave them out), so they may be both in the list of places and in this section.

    @cached_property
    def _joinable_counts(self):
        return self.filter.joinable_qs.order_by().aggregate(total=Count("pk"), real=Count("pk", filter=NOT_DEMO))

    @property
    def online_count(self):
        return self._joinable_counts["total"]

    @cached_property
    def online_preview(self):
        return list(self.filter.joinable_qs[:ONLINE_PREVIEW])

    @property
    def online_query(self):
        """The query string of the finder search listing the section's meetings, in the same order."""
        asked = self.form.cleaned_data.get("modalite") or self.online_modalities
        return self.variant(
            modalite=[value for value in self.online_modalities if value in asked], **dict.fromkeys(TERRITORY)
        ).urlencode()

    @cached_property
    def export_counts(self):
        """(meetings the page's CSV and calendar hold, how many of them are real: not demonstration).

        The exports list `results`, then the meetings joinable online it does not hold
        (`MeetingFilter.online_qs`): the section's list less the joinable meetings of the
        results. The list's counts (shared with the paginator) and the section's, no NOT IN.
        """
        here = self._results_counts
        total, real = here["total"], here["real"]
        if self.filter.is_territorial:
            total += self.online_count - here["joinable"]
            real += self._joinable_counts["real"] - here["joinable_real"]
        return total, real

    @cached_property
    def markers(self):
        """One marker per place of the page shown, listing its meetings: the map shows what the list shows.

        Built from the page's rows, already loaded: no query, and a size bounded by PAGE_SIZE.
        """
        page = getattr(self, "shown_page", None)
        if page is None:
            return []
        places = {}
        for meeting in page.object_list:
            if meeting.venue_id is None:
                continue
            place = places.setdefault(
                (round(meeting.lat, 5), round(meeting.lon, 5)),
                {"lat": meeting.lat, "lon": meeting.lon, "name": meeting.venue.name, "items": []},
            )
            label = f"{meeting.group.movement.name} – {meeting.get_type_display()}"
            place["items"].append({"url": meeting.get_absolute_url(), "label": label})
        return list(places.values())

    @cached_property
    def criteria(self):
        """The search in words ("Jour : mardi, jeudi"), for a printed list to say what it lists."""
        criteria = []
        for name, value in self.form.cleaned_data.items():
            if not value or name in HIDDEN_FIELDS:
                continue
            field = self.form.fields[name]
            if name == "rayon":
                shown = [f"{radius_text(value)} km"]
            elif hasattr(value, "model"):  # a queryset of movements or addictions
                shown = [str(item) for item in value]
            elif getattr(field, "choices", None):
                labels = dict(field.choices)
                shown = [str(labels.get(item, item)) for item in (value if isinstance(value, list) else [value])]
            else:
                shown = [str(value)]
            criteria.append((field.label, ", ".join(shown)))
        return criteria

    @property
    def position(self):
        return self.filter.position

    @property
    def imprecise_position_query(self):
        """The query string with `lat`/`lon` rounded, when they came more precise; else None.

        A position is used, linked and echoed only to 2 decimals (about 1 km).
        """
        if not self.is_valid():
            return None
        rounded = {
            name: f"{self.form.cleaned_data[name]:g}"
            for name in HIDDEN_FIELDS
            if self.form.cleaned_data.get(name) is not None
        }
        if all(self.data.get(name) == value for name, value in rounded.items()):
            return None
        return self.variant(**rounded).urlencode()

    @property
    def near_me(self):
        return self.is_valid() and self.position is not None and self.commune is None

    @cached_property
    def summary(self):
        """The active criteria in one line ("Entourage · Drogues · 20 km autour de Reims"), to fold the form."""
        parts = [value for label, value in self.criteria if label not in self._territory_labels]
        if self.position:
            place = self.commune.name if self.commune else _("ma position")
            parts.append(_("%(km)s km autour de %(place)s") % {"km": radius_text(self.radius), "place": place})
        else:
            parts += [value for label, value in self.criteria if label == self.form.fields["departement"].label]
        return " · ".join(str(part) for part in parts)

    @property
    def _territory_labels(self):
        return {self.form.fields[name].label for name in TERRITORY}

    def variant(self, **changes):
        """The query string of this search with `changes` (None removes a parameter), page reset."""
        data = QueryDict(mutable=True)
        if isinstance(self.data, QueryDict):
            data.update(self.data)
        else:
            for key, value in (self.data or {}).items():
                data.setlist(key, value if isinstance(value, list) else [value])
        changes["page"] = None
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data.setlist(key, value if isinstance(value, list) else [value])
        return data

    def count_of(self, data):
        """How many meetings the finder page for `data` announces: its list, by the same Search."""
        other = Search(data, self.queryset, now=self.now, refresh=False)
        return other.results.count() if other.is_valid() else 0

    @cached_property
    def suggestions(self):
        """Ways to widen an empty search, each with the number of meetings its page lists; none that gives 0.

        A list of (text, query string, count). The number is the linked page's own
        count: the same Search class computes it from the same parameters.
        """
        if not self.is_valid():
            return []
        found = []

        def offer(text, **changes):
            data = self.variant(**changes)
            count = self.count_of(data)
            if count:
                found.append((text, data.urlencode(), count))

        wider = self.wider_radius
        if wider:
            offer(_("dans un rayon de %(km)s km") % {"km": wider}, rayon=str(wider))
        for department in self.neighbours:
            names = {"name": department.name, "code": department.code}
            offer(
                _("dans le département voisin : %(name)s (%(code)s)") % names,
                departement=department.code,
                **dict.fromkeys(("commune", "rayon", "lat", "lon")),
            )
        if not self.online_count:
            offer(
                _("en ligne, tous jours et horaires confondus"),
                modalite=self.online_modalities,
                **dict.fromkeys(TERRITORY + TIME),
            )
        if any(self.form.data.get(name) for name in self.form.fields if name not in TERRITORY):
            kept = {name: None for name in self.form.fields if name not in TERRITORY}
            offer(_("en gardant seulement le lieu"), **kept)
        return found

    @property
    def wider_radius(self):
        """Twice the radius, up to the maximum, for a search around a place that may widen."""
        if self.position and self.radius < MAX_RADIUS_KM:
            return min(MAX_RADIUS_KM, int(self.radius * 2))
        return None

    @cached_property
    def neighbours(self):
        """The départements next to those searched, to widen an empty search."""
        codes = set(self.form.cleaned_data.get("departement") or [])
        if self.commune:
            codes.add(self.commune.department_id)
        if not codes:
            return []
        return list(Department.objects.filter(neighbours__in=codes).exclude(code__in=codes).distinct())

    @property
    def online_modalities(self):
        """`modalite` values of a search for meetings joinable online, as `joinable_online()` means it."""
        return [value for value in Meeting.Modality.values if value != Meeting.Modality.IN_PERSON]
