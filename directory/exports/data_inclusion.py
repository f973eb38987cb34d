"""data·inclusion (schema v1 of the PyPI package `data-inclusion-schema`).

A structure is a local group (section, antenne) of a movement; a service is
one of its meetings. Values are the schema's codes, written out here so that
the site does not need pydantic at run time; the tests validate every record
with the package's `Structure` and `Service` models.
"""

from datetime import UTC

from ..models import Audience, Meeting
from . import PRODUCER, absolute, e164

THEMATIQUE = "sante--addictions"
SERVICE_TYPES = {
    Meeting.Type.SUPPORT_GROUP: "accompagnement",
    Meeting.Type.INFORMATION: "information",
    Meeting.Type.DROP_IN: "accompagnement",
    Meeting.Type.PHONE: "accompagnement",
    Meeting.Type.SOCIAL: "atelier",
}
PUBLICS = {Audience.ALL: ["tous-publics"], Audience.RELATIVES: ["familles"], Audience.CONCERNED: None}
PUBLIC_DETAILS = {
    Audience.CONCERNED: "Personnes concernées par une addiction.",
    Audience.RELATIVES: "Entourage des personnes concernées : familles et amis.",
    Audience.ALL: "Personnes concernées et entourage.",
}
OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def structure_id(group_pk):
    return f"{PRODUCER}--groupe-{group_pk}"


def _date(value):
    # UTC date: never later than today in France, as the schema requires.
    return value.astimezone(UTC).date().isoformat()


def _name(text):
    text = text.strip().rstrip(".")
    return text if len(text) <= 150 else text[:149].rstrip() + "…"


def structure(group):
    movement = group.movement
    commune = group.commune
    description = group.description.strip() or f"{movement.name} : {movement.summary}"
    record = {
        "source": PRODUCER,
        "id": structure_id(group.pk),
        "nom": _name(group.name),
        "date_maj": _date(group.updated_at),
        "description": description,
        "lien_source": absolute(group.get_absolute_url()),
        "commune": commune.name,
        "code_postal": commune.postal_code,
        "code_insee": commune.insee,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
        "telephone": e164(group.phone) or e164(movement.helpline) or None,
        "courriel": group.email or movement.email or None,
        "site_web": group.website or movement.website or None,
    }
    return {key: value for key, value in record.items() if value not in (None, "")}


def opening_hours(meeting):
    """OpenStreetMap opening_hours: "Tu 20:00-22:00", "Th[1,3] 20:00-22:00"; None for every N weeks.

    The syntax has no "every other week" anchored on a date, so those
    meetings keep their rule in the description only.
    """
    day = OSM_DAYS[meeting.weekday]
    hours = f"{meeting.start_time:%H:%M}-{meeting.end_time:%H:%M}"
    if meeting.frequency == Meeting.Frequency.MONTHLY:
        return f"{day}[{','.join(str(p) for p in meeting.position_list)}] {hours}"
    if meeting.interval == 1:
        return f"{day} {hours}"
    return None


def service(meeting, region_departments):
    """One data·inclusion service; an online meeting is open to the whole region (`region_departments`)."""
    group = meeting.group
    venue = meeting.venue
    schedule = f"{meeting.schedule_display}, {meeting.time_range_text}"
    parts = [f"{meeting.get_type_display()} proposé par {group.movement.name} ({group.name}) : {schedule}."]
    # A suspension under way, or one to come ("Pas de réunion du … au …").
    if meeting.suspension_note:
        parts.append(f"{meeting.suspension_note}.")
    parts.append(f"{meeting.get_modality_display()}. Gratuit, sans inscription.")
    if meeting.notes:
        parts.append(meeting.notes)
    modes = []
    if meeting.is_in_person:
        modes.append("en-presentiel")
    if meeting.is_online:
        modes.append("a-distance")
    mobilisation = ["se-presenter"] if meeting.is_in_person else []
    if meeting.phone or group.phone:
        mobilisation.append("telephoner")
    if meeting.video_url:
        mobilisation.append("utiliser-lien-mobilisation")
    record = {
        "source": PRODUCER,
        "structure_id": structure_id(group.pk),
        "id": f"{PRODUCER}--reunion-{meeting.pk}",
        "nom": _name(meeting.title),
        "description": " ".join(parts),
        "lien_source": absolute(meeting.get_absolute_url()),
        "date_maj": _date(meeting.updated_at),
        "type": SERVICE_TYPES[meeting.type],
        "thematiques": [THEMATIQUE],
        "frais": "gratuit",
        "publics": PUBLICS[meeting.audience],
        "publics_precisions": PUBLIC_DETAILS[meeting.audience],
        "modes_accueil": modes,
        "zone_eligibilite": [venue.commune.department_id] if venue else region_departments,
        "modes_mobilisation": mobilisation or None,
        "mobilisable_par": ["usagers", "professionnels"],
        "lien_mobilisation": meeting.video_url or None,
        "telephone": e164(meeting.phone or group.phone) or None,
        "courriel": group.email or None,
        "horaires_accueil": opening_hours(meeting),
    }
    if venue:
        record.update(
            adresse=venue.address,
            code_postal=venue.postal_code,
            commune=venue.commune.name,
            code_insee=venue.commune_id,
            latitude=meeting.lat,
            longitude=meeting.lon,
        )
    return {key: value for key, value in record.items() if value not in (None, "")}
