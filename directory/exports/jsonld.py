"""schema.org JSON-LD: movements as NGO, meetings as Event with an eventSchedule."""

from ..models import Meeting, region_name
from . import TIME_ZONE, absolute, e164

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ATTENDANCE = {
    Meeting.Modality.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Meeting.Modality.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Meeting.Modality.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _clean(record):
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def ngo(movement):
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "NGO",
            "@id": absolute(movement.get_absolute_url()) + "#organisation",
            "name": movement.name,
            "alternateName": movement.acronym,
            "url": absolute(movement.get_absolute_url()),
            "sameAs": [movement.website] if movement.website else [],
            "description": movement.summary,
            "foundingDate": str(movement.founded_year) if movement.founded_year else None,
            "telephone": e164(movement.helpline),
            "email": movement.email,
        }
    )


def schedule(meeting):
    day = meeting.first_date
    data = {
        "@type": "Schedule",
        "byDay": f"https://schema.org/{SCHEMA_DAYS[meeting.weekday]}",
        "startTime": f"{meeting.start_time:%H:%M}",
        "endTime": f"{meeting.end_time:%H:%M}",
        "scheduleTimezone": TIME_ZONE,
        "startDate": day.isoformat() if day else None,
        "description": meeting.schedule_display,
    }
    if meeting.frequency == Meeting.Frequency.MONTHLY:
        data["repeatFrequency"] = "P1M"
        # byMonthWeek counts 1 to 5 only: "the last week" stays in the description.
        data["byMonthWeek"] = [p for p in meeting.position_list if p > 0]
    else:
        data["repeatFrequency"] = f"P{meeting.interval}W"
    return _clean(data)


def place(meeting):
    venue = meeting.venue
    latitude, longitude = venue.coordinates
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "postalCode": venue.postal_code,
            "addressLocality": venue.commune.name,
            "addressRegion": region_name(venue.commune.department.region_id),
            "addressCountry": "FR",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude},
    }


def event(meeting):
    movement = meeting.group.movement
    locations = []
    if meeting.venue_id:
        locations.append(place(meeting))
    if meeting.is_online:
        url = meeting.video_url or absolute(meeting.get_absolute_url())
        locations.append({"@type": "VirtualLocation", "url": url})
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": meeting.title,
            "description": f"{meeting.get_type_display()} – {meeting.get_audience_display()}. {meeting.notes}".strip(),
            "url": absolute(meeting.get_absolute_url()),
            "eventSchedule": schedule(meeting),
            "eventAttendanceMode": ATTENDANCE[meeting.modality],
            "eventStatus": "https://schema.org/EventScheduled",
            "location": locations[0] if len(locations) == 1 else locations,
            "organizer": {"@type": "NGO", "name": movement.name, "url": absolute(movement.get_absolute_url())},
            "isAccessibleForFree": True,
            "inLanguage": meeting.languages.split(),
        }
    )
