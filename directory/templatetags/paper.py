"""Template helpers for what professionals print, subscribe to and download."""

from django import template
from django.db.models import Count
from django.urls import reverse

from .. import paper
from ..models import Meeting
from ..models.meetings import NOT_DEMO

register = template.Library()


@register.simple_tag
def helplines():
    return {
        "hours": paper.HELPLINES_HOURS,
        "numbers": paper.HELPLINES,
        "abroad": paper.CROSS_BORDER_HELPLINES,
        "emergency": paper.EMERGENCY,
    }


def _exported(meetings):
    """How many of the public `meetings` an export holds: the others are demonstration data."""
    counts = meetings.order_by().aggregate(total=Count("pk"), exported=Count("pk", filter=NOT_DEMO))
    return counts["total"], counts["exported"]


@register.simple_tag
def export_summary(search):
    """What the CSV and calendar of a finder `search` hold (its list, then the online meetings beside it).

    `Meeting.objects.exportable()` states which meetings an export holds; the
    others the page shows are demonstration data, left out of every export.
    """
    total, exported = search.export_counts
    return {"count": exported, "demo": total - exported}


@register.simple_tag
def open_data_summary():
    """Meetings the open data holds, and the public demonstration meetings it leaves out."""
    total, exported = _exported(Meeting.objects.public())
    return {"count": exported, "demo": total - exported}


@register.simple_tag
def search_urls(data):
    """The export and subscription addresses of a search given by its parameters."""
    query = paper.query_string(data)
    suffix = f"?{query}" if query else ""
    return {
        "query": query,
        "csv": reverse("data:export_csv") + suffix,
        "ics": reverse("data:agenda_ics") + suffix,
        "ics_absolute": paper.absolute_url(reverse("data:agenda_ics"), data),
        "webcal": paper.webcal_url(data),
        "print": reverse("directory:meeting_print") + suffix,
    }
