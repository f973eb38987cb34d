"""Template helpers for what professionals print, subscribe to and download."""

from django import template
from django.db.models import Q

from .. import paper
from ..finder import Search
from ..models import Meeting

register = template.Library()


@register.simple_tag
def helplines():
    return {"hours": paper.HELPLINES_HOURS, "numbers": paper.HELPLINES, "emergency": paper.EMERGENCY}


@register.simple_tag
def webcal_url(data):
    return paper.webcal_url(data)


@register.simple_tag
def export_summary(data):
    """What the CSV and calendar of this search hold, and how many public meetings they leave out as demonstration.

    Counted on the export's own search (`Meeting.objects.exportable()`), so that the number is the file's.
    """
    exported = Search(data, queryset=Meeting.objects.exportable())
    if not exported.is_valid():
        return None
    count = exported.results.count() + exported.filter.online_qs.count()
    shown = Search(data, queryset=Meeting.objects.public())
    demo = 0
    if shown.is_valid():
        is_demo = Q(is_demo=True) | Q(group__is_demo=True)
        demo = shown.results.filter(is_demo).count() + shown.filter.online_qs.filter(is_demo).count()
    return {"count": count, "demo": demo}
