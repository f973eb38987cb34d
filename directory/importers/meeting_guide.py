"""Meeting Guide JSON feed (code4recovery spec, ../shared/standards/meeting-guide/) → Records.

Mapping (documented for coordinators in docs/import.md):
- `slug` → external id (one record per day when `day` is a list: `slug#day`); `name` → meeting name;
  `group` → group name (else the meeting name);
- `day` 0 = Sunday … 6 = Saturday → our weekday (0 = Monday); `time`, `end_time` "HH:MM"
  (no end: one hour, as the spec says); no day or time ("by appointment"): rejected;
- `location` → venue name; `address`, `city`, `postal_code` (else `formatted_address`
  "rue, 57000 Metz, France") → the venue and its commune; `latitude`/`longitude` kept
  when within 30 km of that commune, else the commune's;
- types: `O` → audience "tous", `C` → "concernes", `AL-AN` → "entourage" (otherwise the
  movement's own audience); `X` → wheelchair accessible; language codes (`FR`, `DE`, `EN`,
  `ITA`, `S`, `POR`, `POL`, `RUS`, `AR`, `TUR`, `NL`) → languages; `ONL` → online,
  `TC` (location temporarily closed) → online only; TSML's `attendance_option`
  (in_person, hybrid, online, inactive) wins when present;
- `conference_url`, `conference_phone` → video link, phone; their `_notes`, `notes`,
  `location_notes` and every other type (by its French name, or unknown codes as is) → notes.
"""

import json
import re

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
    parse_time,
    phone,
    text,
    video_url,
)
from .types import MEETING_GUIDE_TYPE_NAMES

LANGUAGES = {
    "FR": "fr",
    "DE": "de",
    "EN": "en",
    "ITA": "it",
    "S": "es",
    "POR": "pt",
    "POL": "pl",
    "RUS": "ru",
    "AR": "ar",
    "TUR": "tr",
    "NL": "nl",
}
AUDIENCES = {"O": Audience.ALL, "C": Audience.CONCERNED, "AL-AN": Audience.RELATIVES}
# Types that decide a field, not worth repeating in the notes.
MAPPED = {*LANGUAGES, *AUDIENCES, "X", "ONL", "TC", "D"}
ATTENDANCE = {
    "in_person": Meeting.Modality.IN_PERSON,
    "hybrid": Meeting.Modality.HYBRID,
    "online": Meeting.Modality.ONLINE,
}
FORMATTED_ADDRESS = re.compile(r"^(?P<street>.*?),\s*(?P<postal_code>\d{5})\s+(?P<city>[^,]+)")


def parse(payload, movement, region_filter=""):
    try:
        items = json.loads(payload)
    except ValueError as error:
        raise PayloadError(_("Ce n'est pas du JSON lisible : %(error)s.") % {"error": error}) from None
    if not isinstance(items, list):
        raise PayloadError(_("Un flux Meeting Guide est une liste de réunions ([…])."))
    if len(items) > MAX_RECORDS:
        raise PayloadError(
            _("%(count)s réunions : plus que les %(max)s qu'accepte une source.")
            % {"count": len(items), "max": MAX_RECORDS}
        )
    result = ParseResult()
    for position, item in enumerate(items, start=1):
        key = item.get("slug") if isinstance(item, dict) else None
        key = key if isinstance(key, str | int) and not isinstance(key, bool) and str(key).strip() else f"#{position}"
        try:
            if not isinstance(item, dict):
                raise RecordError(_("Chaque réunion doit être un objet JSON."))
            if region_filter and text(item.get("region")) != region_filter:
                continue
            result.records += _records(item, movement)
            unknown = [t for t in item.get("types") or [] if t not in MEETING_GUIDE_TYPE_NAMES and t not in MAPPED]
            if unknown:
                message = _("Types inconnus gardés dans les notes : %(codes)s.") % {"codes": ", ".join(unknown)}
                result.warnings.append((str(key), message))
        except RecordError as error:
            result.reject(key, error)
    return result


def _records(item, movement):
    slug = text(item.get("slug"), 90)
    if not slug:
        raise RecordError(_("« slug » manquant."))
    if not text(item.get("name")):
        raise RecordError(_("« name » manquant."))
    days = item.get("day")
    days = days if isinstance(days, list) else [days]
    if days == [None] or item.get("time") in (None, ""):
        raise RecordError(_("Réunion sans jour ni heure (sur rendez-vous) : non importée."))
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days) or not days:
        raise RecordError(_("Jour invalide : %(day)s (0 = dimanche … 6 = samedi).") % {"day": item.get("day")})
    start = parse_time(item.get("time"), _("Heure de début"))
    if item.get("end_time") not in (None, ""):
        end = parse_time(item["end_time"], _("Heure de fin"))
        if end <= start:
            raise RecordError(_("L'heure de fin doit être après l'heure de début."))
    else:
        end = end_after(start, None)
    types = item.get("types") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise RecordError(_("« types » doit être une liste de codes."))
    fields = _common(item, movement, types, start, end)
    # A meeting held on several days is one meeting per day here, each with its own id.
    return [
        build_record(external_id=slug if len(days) == 1 else f"{slug}#{day}", weekday=(day - 1) % 7, **fields)
        for day in sorted(set(days))
    ]


def _common(item, movement, types, start, end):
    notes = [text(item.get("notes"))]
    venue, commune = _venue(item, types)
    attendance = text(item.get("attendance_option"))
    if attendance == "inactive":
        raise RecordError(_("Réunion inactive dans la source."))
    video = video_url(item.get("conference_url"))
    phone_number, phone_rest = phone(item.get("conference_phone"))
    online = bool(video or phone_number)
    if attendance in ATTENDANCE:
        modality = ATTENDANCE[attendance]
    elif "TC" in types or (venue is None and online):
        modality = Meeting.Modality.ONLINE
    elif "ONL" in types or online:
        modality = Meeting.Modality.HYBRID if venue else Meeting.Modality.ONLINE
    else:
        modality = Meeting.Modality.IN_PERSON
    for label, value in [
        (_("Visioconférence"), text(item.get("conference_url_notes"))),
        (_("Téléphone"), " ".join(filter(None, [phone_rest, text(item.get("conference_phone_notes"))]))),
        (_("Lieu"), text(item.get("location_notes"))),
    ]:
        if value:
            notes.append(f"{label} : {value}")
    other = [t for t in dict.fromkeys(types) if t not in MAPPED]
    if other:
        names = [str(MEETING_GUIDE_TYPE_NAMES.get(code, code)) for code in other]
        notes.append(_("Types : %(types)s.") % {"types": ", ".join(names)})
    audience = next((AUDIENCES[t] for t in ("C", "AL-AN", "O") if t in types), None)
    if audience is None:
        audience = movement.audience if movement.audience == Audience.RELATIVES else Audience.ALL
    return {
        "name": item.get("name"),
        "group_name": text(item.get("group")) or text(item.get("name")),
        "start_time": start,
        "end_time": end,
        "audience": audience,
        "modality": modality,
        "venue": venue,
        "commune": commune,
        "video": video,
        "phone_number": phone_number,
        "languages": [LANGUAGES[t] for t in types if t in LANGUAGES],
        "notes": notes,
    }


def _venue(item, types):
    """(VenueData or None, commune): online meetings may have an approximate address, or none."""
    street, city, postal_code = text(item.get("address")), text(item.get("city")), text(item.get("postal_code"))
    formatted = FORMATTED_ADDRESS.match(text(item.get("formatted_address")))
    if formatted and not (city or postal_code):
        street, city, postal_code = formatted["street"], formatted["city"], formatted["postal_code"]
    if not (city or postal_code):
        if item.get("conference_url") or item.get("conference_phone"):
            raise RecordError(_("Réunion en ligne sans commune de rattachement (city, postal_code)."))
        raise RecordError(_("Adresse manquante (address, city, postal_code)."))
    commune = find_commune(city=city, postal_code=postal_code)
    if not street or "TC" in types:
        return None, commune
    latitude, longitude = coordinates(item.get("latitude"), item.get("longitude"), commune)
    venue = VenueData(
        name=text(item.get("location"), 150) or street[:150],
        address=street[:200],
        postal_code=postal_code if postal_code in commune.postal_codes.split() else commune.postal_code,
        commune=commune,
        latitude=latitude,
        longitude=longitude,
        wheelchair_accessible=True if "X" in types else None,
    )
    return venue, commune
