"""What every importer produces: a `Record` per meeting, or a rejection with its reason in French.

Each format module (bmlt, meeting_guide, csv_source) maps its own field names
to the keyword arguments of `build_record`; the rules shared by all formats
(times, communes, coordinates, links, phones, languages) are stated here once.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ..models import VENUE_MAX_KM_FROM_COMMUNE, Commune, Meeting, distance_km, phone_validator
from ..models.validators import LANGUAGE_NAMES
from ..text import search_name

# A region's meeting list has a few hundred meetings: more is not a meeting list.
MAX_RECORDS = 5000
DEFAULT_DURATION = timedelta(hours=1)  # Meeting Guide's default; BMLT's too when duration_time is empty


class RecordError(Exception):
    """One record cannot be imported; the message (French) says why."""


@dataclass
class VenueData:
    name: str
    address: str
    postal_code: str
    commune: Commune
    latitude: float | None = None
    longitude: float | None = None
    wheelchair_accessible: bool | None = None


@dataclass
class Record:
    external_id: str
    group_name: str
    commune: Commune  # the group's commune
    fields: dict  # Meeting field name -> value
    venue: VenueData | None


@dataclass
class ParseResult:
    records: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (external id or position, reason)
    warnings: list = field(default_factory=list)  # (external id, message): imported, with something kept in notes

    def reject(self, key, reason):
        self.rejected.append((str(key), str(reason)))


class PayloadError(Exception):
    """The payload as a whole cannot be read: nothing is imported."""


TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_time(value, label):
    """'20:00' or '20:00:00' as a time; RecordError for '25:99', 8, None…"""
    match = TIME.match(value.strip()) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
        raise RecordError(_("%(label)s invalide : « %(value)s » (HH:MM attendu).") % {"label": label, "value": value})
    return time(int(match[1]), int(match[2]))


def parse_duration(value):
    """BMLT's duration_time 'HH:MM:SS' as a timedelta; None when empty or zero."""
    if value in (None, ""):
        return None
    match = TIME.match(value.strip()) if isinstance(value, str) else None
    if not match or int(match[2]) > 59:
        raise RecordError(_("Durée invalide : « %(value)s » (HH:MM:SS attendu).") % {"value": value})
    duration = timedelta(hours=int(match[1]), minutes=int(match[2]))
    return duration or None


def end_after(start, duration):
    """The end time `duration` after `start`; a meeting running past midnight cannot be stored."""
    end = datetime.combine(datetime.min, start) + (duration or DEFAULT_DURATION)
    if end.date() != datetime.min.date() or end.time() <= start:
        raise RecordError(_("La réunion se terminerait après minuit : non importable telle quelle."))
    return end.time()


def text(value, limit=None):
    """A stripped string from any JSON scalar; '' for null. Lists and objects are a wrong type."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(_("Valeur d'un type inattendu : %(value)s.") % {"value": repr(value)[:60]})
    value = " ".join(str(value).split())
    return value[:limit] if limit else value


def five_digits(code):
    code = (code or "").strip()
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def find_commune(city="", postal_code="", insee=""):
    """The commune of Grand Est an address names: its INSEE code when given, else postal code + city
    with `Commune.objects.lookup`, else whichever of the two is known, provided it names one commune."""
    insee, postal_code, city = five_digits(insee), five_digits(postal_code), (city or "").strip()
    if insee:
        commune = Commune.objects.filter(pk=insee).first()
        if commune is None:
            raise RecordError(_("Commune inconnue en Grand Est (code INSEE %(code)s).") % {"code": insee})
        return commune
    if not (city or postal_code):
        raise RecordError(_("Adresse sans commune ni code postal."))
    matches = []
    if city and postal_code:
        matches = list(Commune.objects.lookup(f"{city} ({postal_code})", limit=2))
        if len(matches) != 1:
            # "Metz Cedex", "St-Dié": among the communes of that postal code, those the name starts.
            folded = search_name(city)
            by_code = [c for c in Commune.objects.lookup(postal_code) if postal_code in c.postal_codes.split()]
            matches = by_code if len(by_code) == 1 else [c for c in by_code if folded.startswith(c.search_name)]
    elif postal_code:
        matches = [c for c in Commune.objects.lookup(postal_code) if postal_code in c.postal_codes.split()]
    else:
        matches = [c for c in Commune.objects.lookup(city, limit=5) if c.search_name == search_name(city)]
    query = " ".join(filter(None, [postal_code, city]))
    if not matches:
        raise RecordError(_("Commune introuvable en Grand Est : « %(query)s ».") % {"query": query})
    if len(matches) > 1:
        raise RecordError(_("Commune ambiguë : « %(query)s » (précisez le code postal).") % {"query": query})
    return matches[0]


def coordinates(latitude, longitude, commune):
    """The source's coordinates when they are plausible for this commune of the region, else None (the commune's)."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None, None
    if distance_km(lat, lon, commune.latitude, commune.longitude) > VENUE_MAX_KM_FROM_COMMUNE:
        return None, None
    return round(lat, 6), round(lon, 6)


def video_url(value):
    value = text(value)
    if not value:
        return ""
    if len(value) > 200:  # the field's length: a cut link would lead nowhere
        raise RecordError(_("Lien de visioconférence trop long (200 caractères au plus)."))
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise RecordError(_("Lien de visioconférence invalide : « %(url)s ».") % {"url": value[:80]}) from None
    return value


def phone(value):
    """A conference phone our validator accepts; one-tap suffixes (',,123#') go to the notes."""
    value = text(value)
    number, _sep, rest = value.partition(",")
    number = number.strip()
    if not number:
        return "", ""
    try:
        phone_validator(number)
    except ValidationError:
        return "", value
    return number, rest.strip(",# ")


def build_record(
    *,
    external_id,
    name,
    group_name,
    weekday,
    start_time,
    end_time,
    audience,
    modality,
    venue,
    commune,
    video="",
    phone_number="",
    languages=("fr",),
    notes=(),
    meeting_type=Meeting.Type.SUPPORT_GROUP,
    frequency=Meeting.Frequency.WEEKLY,
    interval=1,
    positions="",
):
    """A Record with the rules every format shares; RecordError when the meeting cannot exist here."""
    external_id = text(external_id, 100)
    if not external_id:
        raise RecordError(_("Identifiant manquant."))
    if modality != Meeting.Modality.IN_PERSON and not (video or phone_number):
        if venue is None:
            raise RecordError(_("Réunion en ligne sans lien de visioconférence ni téléphone."))
        modality = Meeting.Modality.IN_PERSON
    if modality != Meeting.Modality.ONLINE and venue is None:
        raise RecordError(_("Réunion sur place sans adresse."))
    languages = [code for code in dict.fromkeys(languages) if code in LANGUAGE_NAMES] or ["fr"]
    fields = {
        "name": text(name, 150),
        "type": meeting_type,
        "audience": audience,
        "frequency": frequency,
        "interval": interval,
        "weekday": weekday,
        "positions": positions,
        "start_time": start_time,
        "end_time": end_time,
        "modality": modality,
        "video_url": video if modality != Meeting.Modality.IN_PERSON else "",
        "phone": phone_number if modality != Meeting.Modality.IN_PERSON else "",
        "languages": " ".join(languages),
        "notes": "\n".join(note for note in notes if note),
    }
    if modality == Meeting.Modality.ONLINE:
        venue = None
    return Record(external_id, text(group_name, 150) or fields["name"], commune, fields, venue)
