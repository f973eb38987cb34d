"""Open Referral HSDS 3.0: movements as organizations, meetings as services.

- organization: a published movement;
- service: one meeting (its own schedule, public, languages);
- location: a venue hosting at least one exported meeting;
- service_at_location: a meeting at its venue (online-only meetings have none);
- schedule: the meeting's RFC 5545 rule (freq, interval, byday such as
  `1TH,3TH`), local Europe/Paris times in opens_at/closes_at (the offset
  changes with summer time, so none is written; `notes` says so).

Identifiers are UUID 5 of a fixed namespace, the kind of row and its key:
stable across exports.
"""

from datetime import UTC

from ..models import LANGUAGE_NAMES, Audience, Meeting, region_name, site_region_name
from ..recurrence import first_date, rrule_fields
from . import absolute, e164, stable_uuid

STATUS = {Meeting.Status.ACTIVE: "active", Meeting.Status.SUSPENDED: "temporarily closed"}
ATTENDING = {
    Meeting.Modality.IN_PERSON: "En personne",
    Meeting.Modality.ONLINE: "En ligne",
    Meeting.Modality.HYBRID: "En personne ou en ligne",
}


def _clean(record):
    return {key: value for key, value in record.items() if value not in (None, "")}


def organization(movement):
    phones = []
    if movement.helpline:
        phones.append(
            _clean(
                {
                    "id": stable_uuid("movement-phone", movement.pk),
                    "organization_id": stable_uuid("movement", movement.pk),
                    "number": e164(movement.helpline),
                    "type": "voice",
                    "description": f"Ligne d'écoute {movement.helpline_hours}".strip(),
                }
            )
        )
    return _clean(
        {
            "id": stable_uuid("movement", movement.pk),
            "name": movement.name,
            "alternate_name": movement.acronym,
            "description": movement.summary,
            "email": movement.email,
            "website": movement.website,
            "year_incorporated": movement.founded_year,
            "uri": absolute(movement.get_absolute_url()),
            "phones": phones,
        }
    )


def location(venue):
    location_id = stable_uuid("venue", venue.pk)
    latitude, longitude = venue.coordinates
    accessibility = []
    if venue.wheelchair_accessible is not None:
        accessibility.append(
            {
                "id": stable_uuid("venue-accessibility", venue.pk),
                "location_id": location_id,
                "description": "Accessible en fauteuil roulant"
                if venue.wheelchair_accessible
                else "Non accessible en fauteuil roulant",
            }
        )
    return _clean(
        {
            "id": location_id,
            "location_type": "physical",
            "name": venue.name,
            "description": venue.get_kind_display(),
            "transportation": venue.access_notes,
            "latitude": latitude,
            "longitude": longitude,
            "addresses": [
                {
                    "id": stable_uuid("venue-address", venue.pk),
                    "location_id": location_id,
                    "address_1": venue.address,
                    "city": venue.commune.name,
                    "region": venue.commune.department.name,
                    "state_province": region_name(venue.commune.department.region_id),
                    "postal_code": venue.postal_code,
                    "country": "FR",
                    "address_type": "physical",
                }
            ],
            "accessibility": accessibility,
        }
    )


def schedule(meeting):
    service_id = stable_uuid("meeting", meeting.pk)
    rule = meeting.recurrence_rule()
    fields = rrule_fields(rule)
    return _clean(
        {
            "id": stable_uuid("schedule", meeting.pk),
            "service_id": service_id,
            "service_at_location_id": stable_uuid("service-at-location", meeting.pk) if meeting.venue_id else None,
            "location_id": stable_uuid("venue", meeting.venue_id) if meeting.venue_id else None,
            "valid_from": meeting.suspended_until.isoformat() if meeting.is_suspended else None,
            # The first meeting day rather than `starts_on`: RFC 5545 counts "every N weeks" from DTSTART.
            # Suspensions aside: valid_from says when the meeting comes back, in phase.
            "dtstart": first_date(rule).isoformat(),
            "wkst": "MO",
            "freq": fields["FREQ"],
            "interval": int(fields.get("INTERVAL", 1)),
            "byday": fields["BYDAY"],
            "opens_at": f"{meeting.start_time:%H:%M}",
            "closes_at": f"{meeting.end_time:%H:%M}",
            "description": f"{meeting.schedule_display.capitalize()}, {meeting.time_range_text}",
            "attending_type": ATTENDING[meeting.modality],
            "notes": "Heures locales (Europe/Paris)."
            + (f" {meeting.suspension_note}." if meeting.suspension_note else ""),
        }
    )


def service_at_location(meeting):
    return {
        "id": stable_uuid("service-at-location", meeting.pk),
        "service_id": stable_uuid("meeting", meeting.pk),
        "location_id": stable_uuid("venue", meeting.venue_id),
        "schedules": [schedule(meeting)],
        "location": location(meeting.venue),
    }


def service(meeting):
    service_id = stable_uuid("meeting", meeting.pk)
    group = meeting.group
    venue = meeting.venue
    phones = []
    if meeting.phone:
        phones.append(
            {
                "id": stable_uuid("meeting-phone", meeting.pk),
                "service_id": service_id,
                "number": e164(meeting.phone),
                "type": "voice",
                "description": "Pour rejoindre la réunion",
            }
        )
    if group.phone:
        phones.append(
            {
                "id": stable_uuid("group-phone", meeting.pk),
                "service_id": service_id,
                "number": e164(group.phone),
                "type": "voice",
                "description": f"Contact du groupe {group.name}",
            }
        )
    area = venue.commune.department if venue else None
    return _clean(
        {
            "id": service_id,
            "organization_id": stable_uuid("movement", group.movement_id),
            "name": meeting.title,
            "alternate_name": group.name,
            "description": f"{meeting.get_type_display()} – {group.movement.name}, {group.name}. "
            f"{meeting.get_modality_display()}. {meeting.notes}".strip(),
            "url": absolute(meeting.get_absolute_url()),
            "email": group.email,
            "status": STATUS[meeting.status],
            "fees_description": "Gratuit",
            "eligibility_description": meeting.get_audience_display()
            + (" : familles et amis" if meeting.audience == Audience.RELATIVES else ""),
            "last_modified": meeting.updated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "phones": phones,
            "schedules": [schedule(meeting)],
            "service_areas": [
                {
                    "id": stable_uuid("service-area", meeting.pk),
                    "service_id": service_id,
                    "name": f"{area.name} ({area.code})" if area else site_region_name(),
                    "extent_type": "other",
                    "description": "Département du lieu de réunion" if area else "Réunion en ligne",
                }
            ],
            "languages": [
                {
                    "id": stable_uuid(f"language-{code}", meeting.pk),
                    "service_id": service_id,
                    "code": code,
                    "name": str(LANGUAGE_NAMES.get(code, code)),
                }
                for code in meeting.languages.split()
            ],
            "service_at_locations": [service_at_location(meeting)] if venue else [],
        }
    )


# Tabular HSDS: one CSV per table (paths of the compiled tabular schema), nested arrays flattened.
TABLES = {
    "organizations.csv": [
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "year_incorporated",
        "uri",
    ],
    "services.csv": [
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "fees_description",
        "eligibility_description",
        "last_modified",
    ],
    "locations.csv": ["id", "location_type", "name", "description", "transportation", "latitude", "longitude"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "schedules.csv": [
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "dtstart",
        "wkst",
        "freq",
        "interval",
        "byday",
        "opens_at",
        "closes_at",
        "description",
        "attending_type",
        "notes",
    ],
    "phones.csv": ["id", "organization_id", "service_id", "number", "type", "description"],
    "languages.csv": ["id", "service_id", "code", "name"],
    "service_areas.csv": ["id", "service_id", "name", "extent_type", "description"],
    "addresses.csv": [
        "id",
        "location_id",
        "address_1",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "accessibility.csv": ["id", "location_id", "description"],
}


def table_rows(organizations, services, locations):
    """(table, row dict) pairs for the tabular export, from the JSON records."""
    for record in organizations:
        yield "organizations.csv", record
        for phone in record.get("phones", []):
            yield "phones.csv", phone
    for record in services:
        yield "services.csv", record
        for phone in record.get("phones", []):
            yield "phones.csv", phone
        yield from (("schedules.csv", item) for item in record.get("schedules", []))
        yield from (("languages.csv", item) for item in record.get("languages", []))
        yield from (("service_areas.csv", item) for item in record.get("service_areas", []))
        yield from (("service_at_location.csv", item) for item in record.get("service_at_locations", []))
    for record in locations:
        yield "locations.csv", record
        yield from (("addresses.csv", item) for item in record.get("addresses", []))
        yield from (("accessibility.csv", item) for item in record.get("accessibility", []))
