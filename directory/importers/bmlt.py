"""BMLT root server `client_interface/json/?switcher=GetSearchResults` → Records.

Every value of a GetSearchResults row is a string. Mapping (documented in docs/import.md):
- `id_bigint` → external id; `service_body_bigint` → the source's filter (comma-separated ids);
  `published` "0" → skipped (a meeting unpublished at the source is missed, then closed);
- `meeting_name` → meeting and group name; `weekday_tinyint` 1 = Sunday … 7 = Saturday → our
  weekday (0 = Monday); `start_time` "HH:MM:SS"; `duration_time` "HH:MM:SS" (empty: one hour);
- `location_text` → venue name; `location_street`, `location_postal_code_1`,
  `location_municipality` → venue address and commune (`location_province` is ignored:
  the commune look-up is within Grand Est); `latitude`, `longitude` kept within 30 km of it;
- `venue_type` 1 in person, 2 virtual, 3 hybrid (else the `VM`, `HY`, `TC` formats) → modality;
  `virtual_meeting_link`, `phone_meeting_number` → video link, phone;
- `formats` "O,C,WC,…": `O` → audience "tous", `C` → "concernes", `WC` → wheelchair
  accessible, `FR`, `DE`, `EN`, `ES`, `IT` → languages (and `lang_enum` too);
  every other key → notes by its French name, unknown keys as is (with a warning);
- `comments`, `location_info`, `virtual_meeting_additional_info` → notes.
"""

import json

from django.utils.translation import gettext as _

from ..models import Audience, Meeting
from .records import (
    MAX_RECORDS,
    ParseResult,
    PayloadError,
    RecordError,
    VenueData,
    build_record,
    coordinates,
    end_after,
    find_commune,
    parse_duration,
    parse_time,
    phone,
    text,
    video_url,
)
from .types import BMLT_FORMAT_NAMES

LANGUAGES = {"FR": "fr", "DE": "de", "EN": "en", "ES": "es", "IT": "it"}
AUDIENCES = {"O": Audience.ALL, "C": Audience.CONCERNED}
VENUE_TYPES = {"1": Meeting.Modality.IN_PERSON, "2": Meeting.Modality.ONLINE, "3": Meeting.Modality.HYBRID}
MAPPED = {*LANGUAGES, *AUDIENCES, "WC", "VM", "HY", "TC"}


def parse(payload, movement, service_bodies=""):
    try:
        rows = json.loads(payload)
    except ValueError as error:
        raise PayloadError(_("Ce n'est pas du JSON lisible : %(error)s.") % {"error": error}) from None
    # GetSearchResults with get_used_formats=1 wraps the rows: {"meetings": […], "formats": […]}.
    if isinstance(rows, dict) and isinstance(rows.get("meetings"), list):
        rows = rows["meetings"]
    if not isinstance(rows, list):
        raise PayloadError(_("Une réponse GetSearchResults est une liste de réunions ([…])."))
    if len(rows) > MAX_RECORDS:
        raise PayloadError(
            _("%(count)s réunions : plus que les %(max)s qu'accepte une source.")
            % {"count": len(rows), "max": MAX_RECORDS}
        )
    wanted = {part.strip() for part in service_bodies.split(",") if part.strip()}
    result = ParseResult()
    for position, row in enumerate(rows, start=1):
        key = row.get("id_bigint") if isinstance(row, dict) else None
        key = key if isinstance(key, str | int) and not isinstance(key, bool) and str(key).strip() else f"#{position}"
        try:
            if not isinstance(row, dict):
                raise RecordError(_("Chaque réunion doit être un objet JSON."))
            if wanted and text(row.get("service_body_bigint")) not in wanted:
                continue
            if text(row.get("published")) == "0":
                continue
            record, unknown = _record(row, movement)
            if unknown:
                result.warnings.append(
                    (str(key), _("Formats inconnus gardés dans les notes : %(keys)s.") % {"keys": ", ".join(unknown)})
                )
            result.records.append(record)
        except RecordError as error:
            result.reject(key, error)
    return result


def _record(row, movement):
    if not text(row.get("meeting_name")):
        raise RecordError(_("« meeting_name » manquant."))
    weekday = text(row.get("weekday_tinyint"))
    if weekday not in {"1", "2", "3", "4", "5", "6", "7"}:
        raise RecordError(_("Jour invalide : « %(day)s » (1 = dimanche … 7 = samedi).") % {"day": weekday})
    start = parse_time(text(row.get("start_time")), _("Heure de début"))
    end = end_after(start, parse_duration(text(row.get("duration_time"))))
    formats = [key.strip() for key in text(row.get("formats")).split(",") if key.strip()]
    street = text(row.get("location_street"))
    commune = find_commune(
        city=text(row.get("location_municipality")), postal_code=text(row.get("location_postal_code_1"))
    )
    video = video_url(row.get("virtual_meeting_link"))
    phone_number, phone_rest = phone(row.get("phone_meeting_number"))
    modality = VENUE_TYPES.get(text(row.get("venue_type")))
    if modality is None:
        if "TC" in formats or ("VM" in formats and not street):
            modality = Meeting.Modality.ONLINE
        elif "HY" in formats or "VM" in formats:
            modality = Meeting.Modality.HYBRID
        else:
            modality = Meeting.Modality.IN_PERSON
    venue = None
    if street and modality != Meeting.Modality.ONLINE:
        latitude, longitude = coordinates(row.get("latitude"), row.get("longitude"), commune)
        postal_code = text(row.get("location_postal_code_1"))
        venue = VenueData(
            name=text(row.get("location_text"), 150) or street[:150],
            address=street[:200],
            postal_code=postal_code if postal_code in commune.postal_codes.split() else commune.postal_code,
            commune=commune,
            latitude=latitude,
            longitude=longitude,
            wheelchair_accessible=True if "WC" in formats else None,
        )
    other = [key for key in dict.fromkeys(formats) if key not in MAPPED]
    unknown = [key for key in other if key not in BMLT_FORMAT_NAMES]
    notes = [text(row.get("comments")), text(row.get("location_info"))]
    extra = " ".join(filter(None, [phone_rest, text(row.get("virtual_meeting_additional_info"))]))
    if extra:
        notes.append(_("En ligne : %(info)s") % {"info": extra})
    if other:
        notes.append(_("Formats : %(names)s.") % {"names": ", ".join(str(BMLT_FORMAT_NAMES.get(k, k)) for k in other)})
    audience = next((AUDIENCES[key] for key in ("C", "O") if key in formats), None)
    if audience is None:
        audience = movement.audience if movement.audience == Audience.RELATIVES else Audience.ALL
    languages = [LANGUAGES[key] for key in formats if key in LANGUAGES]
    lang_enum = text(row.get("lang_enum")).lower()
    record = build_record(
        external_id=row.get("id_bigint"),
        name=row.get("meeting_name"),
        group_name=text(row.get("meeting_name")),
        # BMLT counts from Sunday = 1; ours from Monday = 0.
        weekday=(int(weekday) + 5) % 7,
        start_time=start,
        end_time=end,
        audience=audience,
        modality=modality,
        venue=venue,
        commune=commune,
        video=video,
        phone_number=phone_number,
        languages=languages or [lang_enum],
        notes=notes,
    )
    return record, unknown
