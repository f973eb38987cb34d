"""Our own CSV columns (directory/meeting_csv.py) from a spreadsheet kept elsewhere → Records.

The file is read by `meeting_csv`'s parser (the one place that knows the
columns); here each row is mapped like the other formats so that a source
gets external ids, conflicts and closing. External id: the `id` column when
filled, else group + day + start time + venue. The group is named by
`groupe` (or, for an export of ours, by `groupe_id`); the commune by
`code_insee`, else `code_postal` + `commune`.
"""

from django.utils.translation import gettext as _

from .. import csv_format, meeting_csv
from ..models import Audience, Group, Meeting
from .records import (
    ParseResult,
    PayloadError,
    RecordError,
    VenueData,
    build_record,
    find_commune,
    parse_time,
    phone,
    text,
    video_url,
)

WEEKDAYS = {str(label): value for value, label in Meeting.Weekday.choices}


def read_rows(payload):
    """(line, row) pairs in the admin's CSV format; PayloadError for a file that cannot be read at all."""
    try:
        raw = payload.encode() if isinstance(payload, str) else payload
        return meeting_csv.parse_text(csv_format.decode(raw))
    except csv_format.CSVFileError as error:
        raise PayloadError(str(error)) from None


def parse(payload, movement, _filter=""):
    result = ParseResult()
    groups = dict(Group.objects.filter(movement=movement).values_list("pk", "name"))
    for line, row in read_rows(payload):
        try:
            result.records.append(_record(row, movement, groups))
        except RecordError as error:
            result.reject(row.get("id") or _("ligne %(line)s") % {"line": line}, error)
    return result


def _choice(value, choices, label, default):
    if not value:
        return default
    if value not in choices.values:
        raise RecordError(_("%(label)s inconnu : « %(value)s ».") % {"label": label, "value": value})
    return value


def _record(row, movement, groups):
    group_id = row.get("groupe_id", "")
    group_name = row.get("groupe") or (groups.get(int(group_id)) if group_id.isdigit() else "")
    if not group_name:
        raise RecordError(_("Groupe manquant (colonne groupe, ou groupe_id d'un groupe de ce mouvement)."))
    day = row.get("jour", "").lower()
    if day not in WEEKDAYS:
        raise RecordError(_("Jour inconnu : « %(day)s » (lundi … dimanche).") % {"day": day})
    start = parse_time(row.get("heure_debut"), _("Heure de début"))
    end = parse_time(row.get("heure_fin"), _("Heure de fin"))
    if end <= start:
        raise RecordError(_("L'heure de fin doit être après l'heure de début."))
    commune = find_commune(city=row.get("commune"), postal_code=row.get("code_postal"), insee=row.get("code_insee"))
    modality = _choice(row.get("modalite"), Meeting.Modality, _("Modalité"), Meeting.Modality.IN_PERSON)
    venue = None
    if modality != Meeting.Modality.ONLINE and row.get("lieu"):
        postal_code = row.get("code_postal", "")
        venue = VenueData(
            name=text(row["lieu"], 150),
            address=text(row.get("adresse"), 200),
            postal_code=postal_code if postal_code in commune.postal_codes.split() else commune.postal_code,
            commune=commune,
        )
    frequency = _choice(row.get("frequence"), Meeting.Frequency, _("Fréquence"), Meeting.Frequency.WEEKLY)
    interval = row.get("intervalle") or "1"
    if not interval.isdigit() or not 1 <= int(interval) <= 8:
        raise RecordError(_("Intervalle invalide : « %(value)s » (1 à 8).") % {"value": interval})
    phone_number, phone_rest = phone(row.get("telephone"))
    external_id = row.get("id") or "|".join([group_name, day, start.strftime("%H:%M"), row.get("lieu", "")])
    return build_record(
        external_id=external_id,
        name=row.get("intitule"),
        group_name=group_name,
        weekday=WEEKDAYS[day],
        start_time=start,
        end_time=end,
        audience=_choice(row.get("public"), Audience, _("Public"), Audience.ALL),
        modality=modality,
        venue=venue,
        commune=commune,
        video=video_url(row.get("lien_visio")),
        phone_number=phone_number,
        languages=(row.get("langues") or "fr").split(),
        notes=[row.get("informations", ""), phone_rest],
        meeting_type=_choice(row.get("type"), Meeting.Type, _("Type"), Meeting.Type.SUPPORT_GROUP),
        frequency=frequency,
        interval=int(interval) if frequency == Meeting.Frequency.WEEKLY else 1,
        positions=row.get("positions", "") if frequency == Meeting.Frequency.MONTHLY else "",
    )
