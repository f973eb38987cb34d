"""The meetings' CSV format: encoding, formula guard and every column, defined once.

Two files use it: the public export of a finder search (/reunions/export.csv,
documented on /donnees/ and in DOMAIN.md) and the admin's export/import of a
movement's meetings. They list different columns, but a column present in both
is written the same way because it is the same `Column`.

UTF-8 with a byte order mark and `;` as delimiter: that is what spreadsheet
programs set to French expect (`,` is the decimal separator there); files
read back may use `;` or `,`. Values are the contract's codes (`lundi`,
`groupe-de-parole`…), so that a row can be compared with the query string
that produced it and imported back unchanged; the import also reads the words
people write instead ("hebdomadaire", "1er et 3e jeudis", "20h": see wording.py).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import wording
from .exports import absolute
from .models import Audience, Meeting
from .recurrence import DAY_NAMES

BOM = "\ufeff"
DELIMITER = ";"
READ_DELIMITERS = ";,"
LINE_TERMINATOR = "\r\n"
FORMULA_PREFIX = "'"
YES = {"oui", "1", "vrai", "true", "o", "x"}
YES_NO = {True: "oui", False: "non", None: ""}


class CSVFileError(Exception):
    """The file as a whole cannot be read; the message is for the user, in French."""


# Formula neutralisation (OWASP CSV injection).


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
    """A text cell prefixed with an apostrophe when a spreadsheet would run it."""
    if isinstance(value, str) and _runs_as_formula(value):
        return FORMULA_PREFIX + value
    return value


def from_spreadsheet_safe(text):
    """The text spreadsheet_safe() was given: its guard removed."""
    if text[:1] == FORMULA_PREFIX and _runs_as_formula(text[1:]):
        return text[1:]
    return text


# Columns.


@dataclass(frozen=True)
class Column:
    """One column: its header, how a Meeting writes it, and (if imported) how a cell is read back.

    `field` is the Meeting form field an imported cell fills, `read` turns the cell's
    text into that field's form value; columns without a field (the venue's) are read
    by the import itself. `optional`: an imported file may leave the column out.
    """

    name: str
    write: Callable
    field: str | None = None
    read: Callable = str
    optional: bool = False

    @property
    def header(self):
        return self.name


def _venue_value(get):
    return lambda m: get(m.venue) if m.venue else ""


def _date(value):
    return value.isoformat() if value else ""


def _weekday_number(text):
    """A day name (`jeudi`, any case) as its number; anything else left for the form to refuse."""
    text = text.lower()
    return DAY_NAMES.index(text) if text in DAY_NAMES else text


# Words people write in a spreadsheet for the codes the export writes: both are read back.
FREQUENCY_WORDS = {
    "chaque semaine": "weekly",
    "toutes les semaines": "weekly",
    "une semaine sur deux": "weekly",
    "mensuel": "monthly",
    "chaque mois": "monthly",
}


def _words(choices, synonyms=None):
    return wording.choice_reader(choices.choices, synonyms)


def distance_text(distance):
    return f"{distance:.1f}" if distance is not None else ""


def _distance(meeting):
    return distance_text(getattr(meeting, "distance_km", None))


def _recurrence(meeting):
    # A suspension under way, or one to come ("Pas de réunion du … au …").
    note = meeting.suspension_note
    return f"{meeting.schedule_display} ({note})" if note else meeting.schedule_display


_COLUMNS = [
    Column("id", lambda m: m.pk, optional=True),
    Column("mouvement", lambda m: m.group.movement.name),
    Column("groupe_id", lambda m: m.group_id, field="group"),
    Column("groupe", lambda m: m.group.name, optional=True),
    Column("intitule", lambda m: m.name, field="name", optional=True),
    Column("type", lambda m: m.type, field="type", read=_words(Meeting.Type)),
    Column("public", lambda m: m.audience, field="audience", read=_words(Audience)),
    Column("frequence", lambda m: m.frequency, field="frequency", read=_words(Meeting.Frequency, FREQUENCY_WORDS)),
    Column("intervalle", lambda m: m.interval, field="interval", read=wording.interval_from_words),
    Column("jour", lambda m: DAY_NAMES[m.weekday], field="weekday", read=_weekday_number),
    Column("positions", lambda m: m.positions, field="positions", read=wording.positions_from_words),
    Column("recurrence", _recurrence),
    Column("premiere_date", lambda m: _date(m.starts_on), field="starts_on"),
    Column("heure_debut", lambda m: f"{m.start_time:%H:%M}", field="start_time", read=wording.time_or_text),
    Column("heure_fin", lambda m: f"{m.end_time:%H:%M}", field="end_time", read=wording.time_or_text),
    Column("statut", lambda m: m.status, field="status", read=_words(Meeting.Status)),
    Column("reprise_le", lambda m: _date(m.suspended_until), field="suspended_until", optional=True),
    Column("modalite", lambda m: m.modality, field="modality", read=_words(Meeting.Modality)),
    Column("lieu", _venue_value(lambda v: v.name)),
    Column("adresse", _venue_value(lambda v: v.address)),
    Column("code_postal", _venue_value(lambda v: v.postal_code)),
    Column("code_insee", _venue_value(lambda v: v.commune_id)),
    Column("commune", _venue_value(lambda v: v.commune.name), optional=True),
    Column("departement", _venue_value(lambda v: v.commune.department_id)),
    # Coordinates come from MeetingQuerySet.with_coordinates() (the venue's, else its commune's).
    Column("latitude", lambda m: f"{m.lat:.5f}" if m.venue else ""),
    Column("longitude", lambda m: f"{m.lon:.5f}" if m.venue else ""),
    Column("distance_km", _distance),
    Column("lien_visio", lambda m: m.video_url, field="video_url"),
    Column("telephone", lambda m: m.phone, field="phone"),
    Column("accessible_pmr", _venue_value(lambda v: YES_NO[v.wheelchair_accessible])),
    Column("langues", lambda m: m.languages, field="languages"),
    Column("informations", lambda m: m.notes, field="notes", optional=True),
    Column("publie", lambda m: YES_NO[m.published], field="published", read=lambda text: text.lower() in YES),
    Column("verifie_le", lambda m: _date(m.verified_at), field="verified_at", optional=True),
    Column("url", lambda m: absolute(m.get_absolute_url())),
]
COLUMNS = {column.name: column for column in _COLUMNS}


def columns(*names):
    return [COLUMNS[name] for name in names]


# The open data contract: DOMAIN.md and templates/directory/open_data.html list these, in this order.
PUBLIC_COLUMNS = columns(
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
)
# What a coordinator edits in a spreadsheet and imports back.
ADMIN_COLUMNS = columns(
    "id",
    "groupe_id",
    "groupe",
    "intitule",
    "type",
    "public",
    "frequence",
    "intervalle",
    "jour",
    "positions",
    "premiere_date",
    "heure_debut",
    "heure_fin",
    "statut",
    "reprise_le",
    "modalite",
    "lieu",
    "adresse",
    "code_postal",
    "code_insee",
    "commune",
    "lien_visio",
    "telephone",
    "langues",
    "informations",
    "publie",
    "verifie_le",
)


# Writing.


def _line(writer, buffer, values):
    writer.writerow([spreadsheet_safe(value) for value in values])
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def cells(meeting, columns):
    """Some cells of a meeting's line, as `stream` writes them, without the line ending.

    Each cell is quoted on its own, so a line can be put together from parts
    joined by DELIMITER (see `directory.exports.stored`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator=LINE_TERMINATOR)
    return _line(writer, buffer, [column.write(meeting) for column in columns]).removesuffix(LINE_TERMINATOR)


def header(columns):
    """BOM and header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator=LINE_TERMINATOR)
    return BOM + _line(writer, buffer, [column.header for column in columns])


def stream(meetings, columns):
    """The file as text chunks: BOM and header, then one line per meeting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator=LINE_TERMINATOR)
    yield BOM + _line(writer, buffer, [column.header for column in columns])
    for meeting in meetings:
        yield _line(writer, buffer, [column.write(meeting) for column in columns])


# Reading.


def decode(raw):
    """The text of an uploaded file's bytes (UTF-8, with or without BOM), or CSVFileError."""
    if b"\x00" in raw:
        raise CSVFileError(_("Ce fichier n'est pas un fichier CSV (texte)."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CSVFileError(
            _("Le fichier n'est pas encodé en UTF-8. Enregistrez-le en « CSV UTF-8 » depuis votre tableur.")
        ) from error


def read(text, columns):
    """Non-blank rows as (line number, {header: cell text}), or CSVFileError.

    Every column of `columns` must be in the header unless optional; cells lose
    the formula guard an export added.
    """
    if not text.strip():
        raise CSVFileError(_("Le fichier est vide."))
    # Only the delimiter is guessed, from the header: the Sniffer would also guess
    # quoting from a line that has none (doublequote=False), corrupting every `"`
    # in the data and splitting quoted multi-line fields.
    header_line = text.splitlines()[0]
    delimiter = max(READ_DELIMITERS, key=header_line.count)
    if not header_line.count(delimiter):
        raise CSVFileError(
            _("Ce fichier n'est pas un CSV lisible : les colonnes doivent être séparées par « ; » ou « , ».")
        )
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column.header for column in columns if column.header not in header and not column.optional]
    if missing:
        raise CSVFileError(_("Colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    try:
        return _read_rows(reader)
    except csv.Error as error:
        raise CSVFileError(
            _("Ligne %(line)s illisible (%(reason)s) : vérifiez les guillemets et la longueur des cellules.")
            % {"line": reader.line_num, "reason": error}
        ) from error


def _read_rows(reader):
    rows = []
    for row in reader:
        if None in row:
            raise CSVFileError(
                _("Ligne %(line)s : plus de valeurs que de colonnes (séparateur ou guillemets ?).")
                % {"line": reader.line_num}
            )
        cleaned = {key: from_spreadsheet_safe((value or "").strip()) for key, value in row.items()}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    if not rows:
        raise CSVFileError(_("Le fichier ne contient aucune réunion."))
    return rows


def form_data(row, columns):
    """The Meeting form data of a read row: each imported column's cell, read back."""
    return {column.field: column.read(row.get(column.header, "")) for column in columns if column.field}
