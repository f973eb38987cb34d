"""CSV export and import of meetings for the admin, scoped to the user's movements.

The import is all-or-nothing: every row is validated (and written) inside one
transaction that is rolled back on the first error report or in a dry run, so
the preview shows exactly what confirming would do.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _

from . import csv_format
from .csv_format import ADMIN_COLUMNS, CSVFileError
from .models import Commune, Group, Meeting, Venue

MAX_BYTES = 5 * 1024 * 1024
# Meeting form field → CSV column, to name the column of a field's error.
FIELD_COLUMNS = {column.field: column.header for column in ADMIN_COLUMNS if column.field}


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


def export(meetings):
    """The admin file of `meetings` as text chunks, in the order a coordinator reads them."""
    ordered = meetings.select_related("group", "venue__commune").order_by("group__name", "weekday", "start_time")
    return csv_format.stream(ordered, ADMIN_COLUMNS)


def read_upload(uploaded):
    """The text of an uploaded file, or CSVFileError with a French message."""
    if uploaded.size > MAX_BYTES:
        raise CSVFileError(_("Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers."))
    return csv_format.decode(uploaded.read(MAX_BYTES + 1))


def parse_text(text):
    """Rows as (line number, dict), or CSVFileError with a French message."""
    return csv_format.read(text, ADMIN_COLUMNS)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    venues_created: int = 0
    errors: list = field(default_factory=list)  # (line, message)
    # (line, what, meeting as it will be published): the preview shows the rows, not only counts.
    rows: list = field(default_factory=list)

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
    name, postal_code = row.get("commune", ""), _five_digits(row.get("code_postal"))
    # "Nancy" has two postal codes and "Saint-Dié" several namesakes: the row's postal code decides.
    matches = list(Commune.objects.lookup(f"{name} ({postal_code})")[:2]) if name and postal_code else []
    if len(matches) != 1:
        matches = list(Commune.objects.lookup(name)[:2])
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
    postal_code = _five_digits(row.get("code_postal"))
    codes = commune.postal_codes.split()
    if not postal_code and len(codes) == 1:
        # As on the guided form: a postal code is asked only of a commune that has several.
        postal_code = codes[0]
    venue = Venue(name=row["lieu"], address=row.get("adresse", ""), postal_code=postal_code)
    venue.commune = commune
    try:
        venue.full_clean()
    except forms.ValidationError as error:
        raise forms.ValidationError(
            [f"lieu : {_field_label(name)}{' '.join(msgs)}" for name, msgs in error.message_dict.items()]
        ) from error
    venue.save()
    result.venues_created += 1
    return venue


def _field_label(name):
    """ "code postal : " for a venue's field, as the import's errors name them; nothing for the whole venue."""
    if name == NON_FIELD_ERRORS:
        return ""
    return f"{Venue._meta.get_field(name).verbose_name} : "


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


def preview_of(meeting):
    """A meeting in the words its public page uses: what the import is about to publish."""
    where = str(meeting.venue) if meeting.venue else _("en ligne")
    state = _("publiée") if not meeting.hidden_reasons() else _("non publiée")
    parts = [meeting.title, f"{meeting.schedule_display} {meeting.time_range_text}", where, meeting.suspension_note]
    return f"{' · '.join(part for part in parts if part)} ({state})"


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
            form = MeetingRowForm(csv_format.form_data(row, ADMIN_COLUMNS), instance=instance, groups=groups)
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
            saved = form.save()
            lines_by_pk[saved.pk] = line
            result.rows.append((line, _("modifiée") if instance.pk else _("nouvelle"), preview_of(saved)))
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result
