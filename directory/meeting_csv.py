"""CSV export and import of meetings for the admin, scoped to the user's movements.

The import is all-or-nothing: every row is validated (and written) inside one
transaction that is rolled back on the first error report or in a dry run, so
the preview shows exactly what confirming would do.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _

from .exports.csv import from_spreadsheet_safe, spreadsheet_safe
from .models import Commune, Group, Meeting, Venue

MAX_BYTES = 5 * 1024 * 1024
COLUMNS = [
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
]
# Columns that identify nothing by themselves and may be left out of a file.
OPTIONAL_COLUMNS = {"id", "groupe", "intitule", "commune", "informations", "verifie_le", "reprise_le"}
WEEKDAYS = {str(label): value for value, label in Meeting.Weekday.choices}
YES = {"oui", "1", "vrai", "true", "o", "x"}

# Meeting form field ← CSV column.
FIELD_COLUMNS = {
    "group": "groupe_id",
    "name": "intitule",
    "type": "type",
    "audience": "public",
    "frequency": "frequence",
    "interval": "intervalle",
    "weekday": "jour",
    "positions": "positions",
    "starts_on": "premiere_date",
    "start_time": "heure_debut",
    "end_time": "heure_fin",
    "status": "statut",
    "suspended_until": "reprise_le",
    "modality": "modalite",
    "video_url": "lien_visio",
    "phone": "telephone",
    "languages": "langues",
    "notes": "informations",
    "published": "publie",
    "verified_at": "verifie_le",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


class MeetingRowForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(FIELD_COLUMNS)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        # A callable model default (starts_on) makes Django compare with a hidden
        # "initial-" input that a CSV row never has: compare with the instance instead.
        for form_field in self.fields.values():
            form_field.show_hidden_initial = False
        self.fields["group"].error_messages["invalid_choice"] = _(
            "groupe inconnu ou d'un autre mouvement que le vôtre (groupe_id)."
        )


def export_rows(meetings):
    for m in meetings.select_related("group", "venue__commune").order_by("group__name", "weekday", "start_time"):
        venue = m.venue
        yield {
            "id": m.pk,
            "groupe_id": m.group_id,
            "groupe": m.group.name,
            "intitule": m.name,
            "type": m.type,
            "public": m.audience,
            "frequence": m.frequency,
            "intervalle": m.interval,
            "jour": m.get_weekday_display(),
            "positions": m.positions,
            "premiere_date": m.starts_on.isoformat(),
            "heure_debut": m.start_time.strftime("%H:%M"),
            "heure_fin": m.end_time.strftime("%H:%M"),
            "statut": m.status,
            "reprise_le": m.suspended_until.isoformat() if m.suspended_until else "",
            "modalite": m.modality,
            "lieu": venue.name if venue else "",
            "adresse": venue.address if venue else "",
            "code_postal": venue.postal_code if venue else "",
            "code_insee": venue.commune_id if venue else "",
            "commune": venue.commune.name if venue else "",
            "lien_visio": m.video_url,
            "telephone": m.phone,
            "langues": m.languages,
            "informations": m.notes,
            "publie": "oui" if m.published else "non",
            "verifie_le": m.verified_at.isoformat() if m.verified_at else "",
        }


def write_csv(meetings, stream):
    # Semicolons and a BOM: what a French spreadsheet opens without asking.
    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(meetings):
        writer.writerow({column: spreadsheet_safe(value) for column, value in row.items()})


def read_upload(uploaded):
    """The text of an uploaded file, or ImportFileError with a French message."""
    if uploaded.size > MAX_BYTES:
        raise ImportFileError(_("Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers."))
    return decode(uploaded.read(MAX_BYTES + 1))


def decode(raw):
    if b"\x00" in raw:
        raise ImportFileError(_("Ce fichier n'est pas un fichier CSV (texte)."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("Le fichier n'est pas encodé en UTF-8. Enregistrez-le en « CSV UTF-8 » depuis votre tableur.")
        ) from error


def parse_text(text):
    """Rows as (line number, dict), or ImportFileError with a French message."""
    if not text.strip():
        raise ImportFileError(_("Le fichier est vide."))
    # Only the delimiter is guessed, from the header: the Sniffer would also guess
    # quoting from a line that has none (doublequote=False), corrupting every `"`
    # in the data and splitting quoted multi-line fields.
    header_line = text.splitlines()[0]
    delimiter = max(";,", key=header_line.count)
    if not header_line.count(delimiter):
        raise ImportFileError(
            _("Ce fichier n'est pas un CSV lisible : les colonnes doivent être séparées par « ; » ou « , ».")
        )
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header and name not in OPTIONAL_COLUMNS]
    if missing:
        raise ImportFileError(_("Colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    try:
        return _read_rows(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("Ligne %(line)s illisible (%(reason)s) : vérifiez les guillemets et la longueur des cellules.")
            % {"line": reader.line_num, "reason": error}
        ) from error


def _read_rows(reader):
    rows = []
    for row in reader:
        if None in row:
            raise ImportFileError(
                _("Ligne %(line)s : plus de valeurs que de colonnes (séparateur ou guillemets ?).")
                % {"line": reader.line_num}
            )
        # Cells guarded by our own export (or any OWASP-style export) get their text back.
        cleaned = {key: from_spreadsheet_safe((value or "").strip()) for key, value in row.items()}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    if not rows:
        raise ImportFileError(_("Le fichier ne contient aucune réunion."))
    return rows


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    venues_created: int = 0
    errors: list = field(default_factory=list)  # (line, message)

    @property
    def ok(self):
        return not self.errors


def _five_digits(code):
    """Spreadsheets read 08105 as a number and write it back as 8105: restore the zero."""
    code = (code or "").strip()
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def _commune(row):
    if row.get("code_insee"):
        commune = Commune.objects.filter(pk=_five_digits(row["code_insee"])).first()
        if commune is None:
            raise forms.ValidationError(_("commune inconnue (code INSEE %(code)s).") % {"code": row["code_insee"]})
        return commune
    matches = list(Commune.objects.lookup(row.get("commune", ""))[:2])
    if len(matches) != 1:
        raise forms.ValidationError(
            _("commune inconnue ou ambiguë : « %(name)s » (indiquez le code INSEE).") % {"name": row.get("commune")}
        )
    return matches[0]


def _venue(row, result):
    """The venue named on the row: an existing one of that name in that commune, or a new one."""
    if row.get("modalite") == Meeting.Modality.ONLINE:
        return None
    if not row.get("lieu"):
        raise forms.ValidationError(_("lieu manquant pour une réunion en présentiel ou hybride."))
    commune = _commune(row)
    venue = Venue.objects.filter(name__iexact=row["lieu"], commune=commune).first()
    if venue:
        address = row.get("adresse", "")
        if address and " ".join(address.split()) != " ".join(venue.address.split()):
            # Venues are shared by movements: an import must not move one silently.
            raise forms.ValidationError(
                _(
                    "le lieu « %(name)s » existe déjà à une autre adresse (%(address)s) : "
                    "corrigez l'adresse dans la fiche du lieu, ou donnez un autre nom."
                )
                % {"name": venue.name, "address": venue.address}
            )
        return venue
    venue = Venue(name=row["lieu"], address=row.get("adresse", ""), postal_code=_five_digits(row.get("code_postal")))
    venue.commune = commune
    try:
        venue.full_clean()
    except forms.ValidationError as error:
        raise forms.ValidationError(
            [f"lieu : {field_name} : {' '.join(msgs)}" for field_name, msgs in error.message_dict.items()]
        ) from error
    venue.save()
    result.venues_created += 1
    return venue


def _form_data(row):
    data = {name: row.get(column, "") for name, column in FIELD_COLUMNS.items()}
    weekday = row.get("jour", "").lower()
    data["weekday"] = WEEKDAYS.get(weekday, weekday)
    data["published"] = row.get("publie", "").lower() in YES
    return data


def _duplicate_of(form):
    """The pk of the meeting that Meeting.find_duplicate found for this row, or None."""
    for error in form.errors.as_data().get(NON_FIELD_ERRORS, []):
        if error.code == "duplicate":
            return error.params["id"]
    return None


def _format_errors(form, lines_by_pk):
    messages = []
    duplicate = _duplicate_of(form)
    if duplicate in lines_by_pk:
        messages.append(_("doublon de la ligne %(line)s.") % {"line": lines_by_pk[duplicate]})
    elif duplicate:
        messages.append(
            _("cette réunion existe déjà (n°%(id)s) : indiquez son id pour la modifier.") % {"id": duplicate}
        )
    for name, errors in form.errors.as_data().items():
        prefix = f"{FIELD_COLUMNS[name]} : " if name in FIELD_COLUMNS else ""
        messages += [prefix + " ".join(error.messages) for error in errors if error.code != "duplicate"]
    return messages


def import_rows(rows, user, dry_run=True):
    """Validate and write `rows`; roll everything back on any error or in a dry run."""
    result = ImportResult()
    groups = Group.objects.for_user(user, editable=True)
    meetings = Meeting.objects.for_user(user, editable=True)
    # Meetings written by this file so far (rolled back with it), to name the line a duplicate repeats.
    lines_by_pk = {}
    with transaction.atomic():
        for line, row in rows:
            try:
                instance = Meeting()
                if row.get("id"):
                    instance = meetings.filter(pk=row["id"] if row["id"].isdigit() else None).first()
                    if instance is None:
                        raise forms.ValidationError(
                            _("réunion n°%(id)s inconnue ou d'un autre mouvement (colonne id).") % {"id": row["id"]}
                        )
                venue = _venue(row, result)
            except forms.ValidationError as error:
                result.errors += [(line, message) for message in error.messages]
                continue
            previous_venue_id = instance.venue_id
            instance.venue = venue
            # Duplicates (of a meeting in the database or of an earlier line) are Meeting.find_duplicate's
            # rule, run by the form's model validation.
            form = MeetingRowForm(_form_data(row), instance=instance, groups=groups)
            if not form.is_valid():
                result.errors += [(line, message) for message in _format_errors(form, lines_by_pk)]
                continue
            if form.instance.pk and not form.has_changed() and instance.venue_id == previous_venue_id:
                # Re-importing an unchanged export must not write empty versions nor bump the feeds.
                result.unchanged += 1
                lines_by_pk[form.instance.pk] = line
                continue
            if form.instance.pk:
                result.updated += 1
            else:
                result.created += 1
            form.instance._history_user = user
            lines_by_pk[form.save().pk] = line
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result
