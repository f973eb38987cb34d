"""One finder search: its form, its lists and every number the finder page shows of them.

`MeetingFilter` states what the query string means; `Search` answers what the
page needs from it (the list, the meetings joinable online beside it, the map,
the criteria in words, the ways to widen an empty search), each computed from
the queryset of the list it describes, so that a count and its list agree.
"""

from functools import cached_property

from django.core.paginator import Paginator

from .filters import MAX_RADIUS_KM, MeetingFilter, radius_text
from .models import Department, Meeting

PAGE_SIZE = 20
ONLINE_PREVIEW = 10
MAIN_FIELDS = ("commune", "rayon", "q")


class Search:
    def __init__(self, data, queryset):
        self.filter = MeetingFilter(data, queryset=queryset)
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
        return [field for field in self.form if field.name not in MAIN_FIELDS]

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

    def page(self, number):
        self.shown_page = Paginator(self.results, PAGE_SIZE).get_page(number)
        return self.shown_page

    @cached_property
    def online(self):
        """Meetings joinable online beside a territorial list (see `MeetingFilter.online_qs`), all of them."""
        return list(self.filter.online_qs)

    @property
    def online_preview(self):
        return self.online[:ONLINE_PREVIEW]

    @property
    def online_more(self):
        return self.online[ONLINE_PREVIEW:]

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
            if not value:
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
    def wider_radius(self):
        """Twice the radius, up to the maximum, for a commune search that may widen."""
        if self.commune and self.radius < MAX_RADIUS_KM:
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
