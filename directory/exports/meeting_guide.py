"""Meeting Guide JSON feed (code4recovery): what AA, Al-Anon and NA meeting apps read.

The format knows weekly meetings only. Our choices, also stated on /donnees/:
- weekly meetings get `day` (0 = Sunday, ours is 0 = Monday) and `time`;
- fortnightly and monthly meetings get neither: apps then list them as
  "by appointment" instead of showing a weekly meeting that does not exist,
  and `notes` starts with the real rule in French ("1er et 3e jeudis du mois…");
- suspended meetings are tagged TC (temporarily closed), their conference
  fields left out, and `notes` give the date of return; a suspension to come
  leaves the meeting as it is, and `notes` give its dates;
- telephone permanences are helplines, not meetings: they are left out.
"""

from datetime import UTC

from django.utils import timezone

from ..models import Audience, Meeting, region_name
from . import TIME_ZONE, absolute, e164, label

AL_ANON = "al-anon-alateen"
# Our ISO 639-1 codes to Meeting Guide's language types (see types.json).
LANGUAGE_TYPES = {"fr": "FR", "de": "DE", "en": "EN", "it": "ITA"}
# Meeting kinds with a Meeting Guide equivalent; the others get no type.
KIND_TYPES = {Meeting.Type.SUPPORT_GROUP: "D"}
EXCLUDED_KINDS = [Meeting.Type.PHONE]


def meeting_guide_day(weekday):
    """Ours is 0 = Monday … 6 = Sunday; Meeting Guide's is 0 = Sunday … 6 = Saturday."""
    return (weekday + 1) % 7


def is_weekly(meeting):
    """Weekly and already running: only then may apps show it every week from now on."""
    weekly = meeting.frequency == Meeting.Frequency.WEEKLY and meeting.interval == 1
    return weekly and meeting.starts_on <= timezone.localdate()


def types(meeting):
    codes = []
    # O = open to anyone; C = closed: for those who have the problem. Entourage
    # meetings are neither. Every Al-Anon/Alateen meeting carries AL-AN, whatever its audience.
    if meeting.audience == Audience.ALL:
        codes.append("O")
    elif meeting.audience == Audience.CONCERNED:
        codes.append("C")
    if meeting.group.movement.slug == AL_ANON:
        codes.append("AL-AN")
    if meeting.type in KIND_TYPES:
        codes.append(KIND_TYPES[meeting.type])
    if meeting.venue_id and meeting.venue.wheelchair_accessible:
        codes.append("X")
    codes += [LANGUAGE_TYPES[code] for code in meeting.languages.split() if code in LANGUAGE_TYPES]
    if meeting.is_suspended:
        codes.append("TC")
    return codes


def notes(meeting):
    lines = []
    if meeting.starts_on > timezone.localdate():
        lines.append(
            f"Nouvelle réunion à partir du {meeting.starts_on:%d/%m/%Y} : {meeting.schedule_display}, "
            f"{meeting.time_range_text}."
        )
    elif not is_weekly(meeting):
        lines.append(f"Réunion non hebdomadaire : {meeting.schedule_display}, {meeting.time_range_text}.")
    # A suspension under way, or one to come: apps then list the meeting with its gap.
    if meeting.suspension_note:
        lines.append(f"{meeting.suspension_note}.")
    lines.append(f"{label(meeting, 'type')}, {label(meeting, 'audience').lower()}.")
    if meeting.audience == Audience.RELATIVES:
        lines.append("Pour l'entourage : familles et amis.")
    if meeting.notes:
        lines.append(meeting.notes)
    return "\n".join(lines)


def item(meeting):
    group = meeting.group
    movement = group.movement
    venue = meeting.venue if meeting.venue_id else None
    data = {
        "name": meeting.title[:255],
        # Never changes with a renaming: apps keep favourites by slug.
        "slug": f"reunion-{meeting.pk}",
        "timezone": TIME_ZONE,
        "types": types(meeting),
        "notes": notes(meeting),
        "group": group.name,
        "updated": meeting.updated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "url": absolute(meeting.get_absolute_url()),
        "entity": movement.name,
        "entity_location": f"{region_name((venue or group).commune.department.region_id)}, France",
    }
    if is_weekly(meeting):
        data["day"] = meeting_guide_day(meeting.weekday)
        data["time"] = f"{meeting.start_time:%H:%M}"
        data["end_time"] = f"{meeting.end_time:%H:%M}"
    if meeting.venue_id:
        venue = meeting.venue
        commune = venue.commune
        data.update(
            location=venue.name,
            address=venue.address,
            city=commune.name,
            postal_code=venue.postal_code,
            country="FR",
            formatted_address=f"{venue.address}, {venue.postal_code} {commune.name}, France",
            latitude=round(meeting.lat, 5),
            longitude=round(meeting.lon, 5),
            approximate="no" if venue.latitude is not None else "yes",
            region=commune.department.name,
            sub_region=commune.name,
        )
        if venue.access_notes:
            data["location_notes"] = venue.access_notes
    else:
        # Online only: the group's commune as the meeting's approximate origin.
        commune = group.commune
        data.update(
            city=commune.name,
            postal_code=commune.postal_code,
            country="FR",
            formatted_address=f"{commune.postal_code} {commune.name}, France",
            approximate="yes",
            region=commune.department.name,
            sub_region=commune.name,
        )
    if not meeting.is_suspended:
        if meeting.video_url:
            data["conference_url"] = meeting.video_url
        if meeting.phone:
            data["conference_phone"] = e164(meeting.phone)
    if movement.website:
        data["entity_website_url"] = movement.website
    if movement.email:
        data["entity_email"] = movement.email
    if movement.helpline:
        data["entity_phone"] = e164(movement.helpline)
    return data


def feed_meetings(meetings):
    return meetings.exclude(type__in=EXCLUDED_KINDS).order_by("weekday", "start_time", "pk")
