"""Each meeting's text in the Meeting Guide feed, the agendas, the CSV export and data·inclusion, built once.

Serialising a meeting in Python (icalendar objects, choice labels, recurrence
wording) costs about a millisecond: 80 s for a feed of 100,000 meetings at every
request. The texts are stored in `MeetingExport` instead, with what they were
built from, and a feed reads them in one query. They are only used while fresh:

- `meeting_at`, `group_at`, `movement_at`, `venue_at` are the `updated_at` of
  the meeting, its group, movement and venue: an edit of any of them makes the
  row stale at once, with no signal to forget (the database compares them with
  the live rows in the same query);
- `valid_until` is the first day the texts would read differently (a new meeting
  starts, a suspension begins: see `_valid_until`);
- `format` changes with EXPORT_VERSION, the language and the site's address.

A stale row is rebuilt on the fly from the live data, a chunk at a time (one
query per chunk that has any), so an export is never stale, only slower until
the refresh_exports command has stored the new texts. The stored and the live
texts come from the same functions: the bytes are the same.

Commune, département and region names are reference data (loaddata): reload
them, then run `refresh_exports --all`.
"""

import hashlib
import json
from itertools import batched

from django.conf import settings
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import get_language

from .. import csv_format
from ..models import Department, Meeting, MeetingExport
from . import CHUNK_SIZE, EXPORT_VERSION, data_inclusion, ics, meeting_guide

DISTANCE = csv_format.COLUMNS["distance_km"]
_AT = csv_format.PUBLIC_COLUMNS.index(DISTANCE)
CSV_HEAD, CSV_TAIL = csv_format.PUBLIC_COLUMNS[:_AT], csv_format.PUBLIC_COLUMNS[_AT + 1 :]
TEXT_FIELDS = ["meeting_guide", "ics", "csv_head", "csv_tail", "data_inclusion"]


def current_format():
    site = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:16]
    return f"{EXPORT_VERSION}|{get_language()}|{site}"


def _versions(meeting):
    """The versions of the rows a meeting's texts show, as `_same_versions` compares them."""
    return {
        "meeting_at": meeting.updated_at,
        "group_at": meeting.group.updated_at,
        "movement_at": meeting.group.movement.updated_at,
        "venue_at": meeting.venue.updated_at if meeting.venue_id else None,
    }


def _same_versions():
    # Each version compared on its own rather than the latest of them: a clock set back
    # between two edits cannot hide the second one.
    same_venue = Q(venue__isnull=True, export__venue_at__isnull=True) | Q(export__venue_at=F("venue__updated_at"))
    return (
        Q(
            export__meeting_at=F("updated_at"),
            export__group_at=F("group__updated_at"),
            export__movement_at=F("group__movement__updated_at"),
        )
        & same_venue
    )


def _valid_until(meeting, today):
    """The first day after `today` on which the texts change by themselves, or None.

    They depend on the day in two ways only: a meeting that has not started yet
    ("Nouvelle réunion à partir du…", not weekly yet for Meeting Guide), and a
    suspension to come ("Pas de réunion du…") that becomes a current one.
    """
    window = meeting.suspension_window
    changes = [meeting.starts_on, window[0] if window else None]
    return min((day for day in changes if day and day > today), default=None)


def with_freshness(queryset):
    """`queryset` with `export_fresh`: whether its stored texts may be used today."""
    fresh = (
        Q(export__format=current_format())
        & _same_versions()
        & (Q(export__valid_until__isnull=True) | Q(export__valid_until__gt=timezone.localdate()))
    )
    return queryset.annotate(
        export_fresh=Case(When(fresh, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def _meeting_guide(meeting):
    return json.dumps(meeting_guide.item(meeting), ensure_ascii=False)


def _ics(meeting):
    vevent = ics.event(meeting)
    return vevent.to_ical().decode() if vevent is not None else ""


def builders(fields):
    """{field: function of a meeting that writes its text} for `fields`."""
    everything = {
        "meeting_guide": _meeting_guide,
        "ics": _ics,
        "csv_head": lambda meeting: csv_format.cells(meeting, CSV_HEAD),
        "csv_tail": lambda meeting: csv_format.cells(meeting, CSV_TAIL),
    }
    if "data_inclusion" in fields:
        # The region's départements (reference data): where an online meeting is open.
        departments = list(Department.objects.values_list("code", flat=True))
        everything["data_inclusion"] = lambda meeting: json.dumps(
            data_inclusion.service(meeting, departments), ensure_ascii=False
        )
    return {name: everything[name] for name in fields}


def build(meeting, writers):
    """The unsaved MeetingExport of a meeting loaded by `Meeting.objects.exportable()`."""
    texts = {name: write(meeting) for name, write in writers.items()}
    return MeetingExport(
        meeting=meeting,
        **_versions(meeting),
        format=current_format(),
        valid_until=_valid_until(meeting, timezone.localdate()),
        **texts,
    )


def texts(queryset, fields, extra=()):
    """For each meeting of `queryset`, in its order: its texts `fields`, then its values `extra`.

    Stored texts when fresh, else built now from the live rows. Queries: one,
    plus one per chunk of CHUNK_SIZE meetings that holds a stale one (and one for
    the départements when data·inclusion texts are to be built).
    """
    rows = (
        with_freshness(queryset)
        .values_list("pk", "export_fresh", *(f"export__{name}" for name in fields), *extra)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    writers = None
    for chunk in batched(rows, CHUNK_SIZE, strict=False):
        stale = [row[0] for row in chunk if not row[1]]
        live = {}
        if stale:
            writers = writers or builders(fields)
            for meeting in Meeting.objects.exportable().filter(pk__in=stale):
                live[meeting.pk] = [write(meeting) for write in writers.values()]
        for pk, fresh, *values in chunk:
            if fresh:
                yield values
            elif pk in live:  # else unpublished since the first query
                yield live[pk] + values[len(fields) :]


def refresh(everything=False):
    """Store the texts of every exportable meeting whose texts are missing or stale; the number written.

    `everything`: rebuild all of them (after reloading the reference data). Texts
    of meetings that left the exports are deleted.
    """
    exportable = Meeting.objects.exportable()
    MeetingExport.objects.exclude(meeting__in=exportable.values("pk")).delete()
    wanted = exportable if everything else with_freshness(exportable).filter(export_fresh=False)
    written = 0
    writers = builders(TEXT_FIELDS)
    # The keys first: SQLite must not write the table it is still reading.
    for pks in batched(list(wanted.order_by("pk").values_list("pk", flat=True)), CHUNK_SIZE, strict=False):
        exports = [build(meeting, writers) for meeting in exportable.filter(pk__in=pks)]
        MeetingExport.objects.bulk_create(
            exports,
            update_conflicts=True,
            unique_fields=["meeting"],
            update_fields=["meeting_at", "group_at", "movement_at", "venue_at", "format", "valid_until", *TEXT_FIELDS],
        )
        written += len(exports)
    return written
