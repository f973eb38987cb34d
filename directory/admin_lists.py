"""The meetings list of the admin as a coordinator reads it (issue 15, item 6): which, when, where.

Cells read only what the changelist's `list_select_related` joins: no query per row.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


@admin.display(description=_("réunion"), ordering="group__name")
def meeting_title(meeting):
    return meeting.title


@admin.display(description=_("quand"), ordering="weekday")
def meeting_when(meeting):
    return f"{meeting.schedule_display}, {meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}"


@admin.display(description=_("lieu"), ordering="venue__name")
def meeting_venue(meeting):
    if meeting.venue is None:
        return _("en ligne")
    return meeting.venue.name


@admin.display(description=_("commune"), ordering="venue__commune__search_name")
def meeting_commune(meeting):
    return (meeting.venue.commune if meeting.venue else meeting.group.commune).name


MEETING_LIST_CELLS = [meeting_title, meeting_when, meeting_venue, meeting_commune]
