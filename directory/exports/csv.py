"""CSV of a finder search: the columns of DOMAIN.md, for spreadsheets in French.

UTF-8 with a byte order mark and `;` as delimiter: that is what spreadsheet
programs set to French expect (`,` is the decimal separator there). Values
are the contract's codes (`lundi`, `groupe-de-parole`…), so that a row can be
compared with the query string that produced it.
"""

import csv
import io

from ..recurrence import DAY_NAMES
from . import absolute

COLUMNS = [
    "id",
    "mouvement",
    "groupe",
    "type",
    "public",
    "jour",
    "recurrence",
    "heure_debut",
    "heure_fin",
    "modalite",
    "lieu",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "departement",
    "latitude",
    "longitude",
    "distance_km",
    "lien_visio",
    "telephone",
    "accessible_pmr",
    "langues",
    "verifie_le",
    "url",
]
DELIMITER = ";"
BOM = "\ufeff"
YES_NO = {True: "oui", False: "non", None: ""}
FORMULA_PREFIX = "'"


def _runs_as_formula(text):
    """Whether a spreadsheet would evaluate `text` (or, once its guard is stripped, the rest)."""
    if text[:1] in ("=", "@"):
        return True
    if text[:1] in ("+", "-"):
        # "+33 3 83…", "-1.5", "- entrée par la cour": numbers and plain text, left as they are.
        return not (text[1:2].isdigit() or text[1:2] == " ")
    # A leading guard that is part of the text gets a guard of its own, so that the import
    # strips exactly what the export added.
    return text[:1] == FORMULA_PREFIX and _runs_as_formula(text[1:])


def spreadsheet_safe(value):
    """A text cell prefixed with an apostrophe when a spreadsheet would run it (OWASP CSV injection)."""
    if isinstance(value, str) and _runs_as_formula(value):
        return FORMULA_PREFIX + value
    return value


def from_spreadsheet_safe(text):
    """The text spreadsheet_safe() was given: its guard removed."""
    if text[:1] == FORMULA_PREFIX and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def recurrence_text(meeting):
    text = meeting.schedule_display
    if meeting.is_suspended:
        text += f" ({meeting.suspension_note})"
    return text


def row(meeting):
    venue = meeting.venue
    distance = getattr(meeting, "distance_km", None)
    return [
        meeting.pk,
        meeting.group.movement.name,
        meeting.group.name,
        meeting.type,
        meeting.audience,
        DAY_NAMES[meeting.weekday],
        recurrence_text(meeting),
        f"{meeting.start_time:%H:%M}",
        f"{meeting.end_time:%H:%M}",
        meeting.modality,
        venue.name if venue else "",
        venue.address if venue else "",
        venue.postal_code if venue else "",
        venue.commune.name if venue else "",
        venue.commune_id if venue else "",
        venue.commune.department_id if venue else "",
        f"{meeting.lat:.5f}" if venue else "",
        f"{meeting.lon:.5f}" if venue else "",
        f"{distance:.1f}" if distance is not None else "",
        meeting.video_url,
        meeting.phone,
        YES_NO[venue.wheelchair_accessible] if venue else "",
        meeting.languages,
        meeting.verified_at.isoformat() if meeting.verified_at else "",
        absolute(meeting.get_absolute_url()),
    ]


def _line(writer, buffer, values):
    writer.writerow([spreadsheet_safe(value) for value in values])
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def stream(meetings):
    """The file as text chunks: BOM and header, then one line per meeting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM + _line(writer, buffer, COLUMNS)
    for meeting in meetings:
        yield _line(writer, buffer, row(meeting))
