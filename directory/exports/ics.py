"""iCalendar (RFC 5545): one VEVENT per meeting, with its real recurrence rule.

Times are local Europe/Paris with a VTIMEZONE, so that a 20:00 meeting stays
at 20:00 across daylight-saving changes in every calendar application.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from . import TIME_ZONE, absolute, label, site_host

PARIS = ZoneInfo(TIME_ZONE)
PRODID = "-//Entraide Grand Est//Reunions//FR"


def location_text(meeting):
    if meeting.venue_id:
        venue = meeting.venue
        return f"{venue.name}, {venue.address}, {venue.postal_code} {venue.commune.name}"
    return meeting.video_url or (f"Par téléphone : {meeting.phone}" if meeting.phone else "En ligne")


def description(meeting):
    lines = [
        f"{label(meeting, 'type')} – {meeting.group.movement.name}",
        f"{meeting.schedule_display.capitalize()}, {meeting.time_range_text}",
        f"Pour qui : {label(meeting, 'audience')}",
        f"Modalité : {label(meeting, 'modality')}",
    ]
    if meeting.suspension_note:
        lines.append(meeting.suspension_note)
    if meeting.video_url:
        lines.append(f"Visioconférence : {meeting.video_url}")
    if meeting.phone:
        lines.append(f"Téléphone : {meeting.phone}")
    if meeting.notes:
        lines.append(meeting.notes)
    lines.append(absolute(meeting.get_absolute_url()))
    return "\n".join(lines)


def event(meeting):
    """The VEVENT of a meeting, or None when it has no date to come (should not happen for active ones)."""
    day = meeting.first_date
    if day is None:
        return None
    updated = meeting.updated_at.astimezone(UTC)
    vevent = Event()
    vevent.add("uid", f"meeting-{meeting.pk}@{site_host()}")
    # The row's modification time rather than "now": identical data gives an identical file (ETag).
    vevent.add("dtstamp", updated)
    vevent.add("last-modified", updated)
    vevent.add("summary", meeting.title)
    vevent.add("dtstart", datetime.combine(day, meeting.start_time, tzinfo=PARIS))
    vevent.add("dtend", datetime.combine(day, meeting.end_time, tzinfo=PARIS))
    vevent.add("rrule", vRecur.from_ical(meeting.rrule))
    skipped = meeting.skipped_dates()
    if skipped:
        # The series goes on after a suspension: calendars must leave out its dates, not stop it.
        vevent.add("exdate", [datetime.combine(other, meeting.start_time, tzinfo=PARIS) for other in skipped])
    vevent.add("location", location_text(meeting))
    if meeting.venue_id:
        vevent.add("geo", (round(meeting.lat, 6), round(meeting.lon, 6)))
    vevent.add("url", absolute(meeting.get_absolute_url()))
    vevent.add("description", description(meeting))
    vevent.add("categories", [label(meeting, "type")])
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    return vevent


def paris_vtimezone():
    """Europe/Paris as yearly rules (EU summer time since 1996), as tzurl.org publishes it.

    icalendar's generated VTIMEZONE lists every transition up to 2037 (RDATEs):
    valid, but ten times longer, and a strict client would stop summer time
    after 2037 for series that go on for ever.
    """
    timezone = Timezone()
    timezone.add("tzid", TIME_ZONE)
    timezone.add_component(_observance(TimezoneDaylight(), "CEST", 1, 2, datetime(1970, 3, 29, 2, 0)))
    timezone.add_component(_observance(TimezoneStandard(), "CET", 2, 1, datetime(1970, 10, 25, 3, 0)))
    return timezone


def _observance(component, name, hours_from, hours_to, start):
    """A yearly change of offset on the last Sunday of the month of `start`, at its hour."""
    component.add("tzname", name)
    component.add("tzoffsetfrom", timedelta(hours=hours_from))
    component.add("tzoffsetto", timedelta(hours=hours_to))
    component.add("dtstart", start)
    component.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1SU"})
    return component


def header(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIME_ZONE)
    # Refresh hint for subscribed calendars (RFC 7986 and the older Microsoft name).
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(paris_vtimezone())
    text = calendar.to_ical().decode()
    return text.removesuffix("END:VCALENDAR\r\n")


def stream(meetings, name):
    """The calendar as text chunks: header and time zone, one VEVENT per meeting, footer."""
    vevents = (event(meeting) for meeting in meetings)
    return stream_texts((vevent.to_ical().decode() for vevent in vevents if vevent is not None), name)


def stream_texts(vevents, name):
    """The calendar as text chunks, from its VEVENTs already written (`directory.exports.stored`)."""
    yield header(name)
    yield from vevents
    yield "END:VCALENDAR\r\n"
