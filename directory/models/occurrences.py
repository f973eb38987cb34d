"""When a meeting next takes place, kept in the database so that lists are ordered and filtered there.

Every list, export and print is ordered by the next occurrence from now
(Europe/Paris). Computing it per row in Python would grow with the data, so
each meeting keeps its next (or current) occurrence in two indexed columns,
`next_start` and `next_end`. They are refreshed by `refresh_next_occurrences`:
for every row by the `refresh_next_occurrences` management command (cron) and
after admin saves and imports, and at request time for the few rows whose
occurrence has ended since (`Search` does it before any list is read).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..versioning import data_changed

PARIS = ZoneInfo("Europe/Paris")
# Far enough for a monthly "5th Thursday" or a long suspension; the recurrence never ends otherwise.
HORIZON_DAYS = 800
# Rows refreshed at request time at most: the cron job keeps the stale ones far fewer.
STALE_BATCH = 2000
FIELDS = ["next_start", "next_end"]

# `quand` values of the public contract, never translated.
WHEN_CHOICES = [
    ("en-cours", _("en cours")),
    ("ce-soir", _("ce soir (jusqu'à minuit)")),
    ("demain", _("demain")),
    ("week-end", _("ce week-end")),
    ("7-jours", _("dans les 7 jours")),
]


def local_midnight(day):
    return datetime.combine(day, time(), tzinfo=PARIS)


def next_occurrence(meeting, now):
    """(start, end) of the meeting's occurrence running at `now` or the next one, aware; (None, None) if none."""
    local = now.astimezone(PARIS)
    for day in meeting.iter_occurrences(local.date(), local.date() + timedelta(days=HORIZON_DAYS)):
        end = datetime.combine(day, meeting.end_time, tzinfo=PARIS)
        if end > now:
            return datetime.combine(day, meeting.start_time, tzinfo=PARIS), end
    return None, None


def when_window(when, now):
    """The [start, end) instants of a `quand` value around `now`, in Paris time."""
    local = now.astimezone(PARIS)
    tomorrow = local_midnight(local.date() + timedelta(days=1))
    if when == "en-cours":
        return now, now
    if when == "ce-soir":
        return now, tomorrow
    if when == "demain":
        return tomorrow, local_midnight(local.date() + timedelta(days=2))
    if when == "week-end":
        # This week's Saturday: today's on a Saturday, yesterday's on a Sunday.
        saturday = local.date() + timedelta(days=5 - local.weekday())
        return max(now, local_midnight(saturday)), local_midnight(saturday + timedelta(days=2))
    if when == "7-jours":
        return now, now + timedelta(days=7)
    raise ValueError(when)


def when_label(start, end, now):
    """'en cours', 'ce soir', "aujourd'hui", 'demain' or the date, as a person reads a list tonight."""
    if start is None:
        return ""
    if start <= now < end:
        return _("en cours")
    local_now, local_start = now.astimezone(PARIS), start.astimezone(PARIS)
    days = (local_start.date() - local_now.date()).days
    if days == 0:
        return _("ce soir") if local_start.hour >= 17 else _("aujourd'hui")
    if days == 1:
        return _("demain")
    return None  # the template writes the date


class NextOccurrenceQuerySet(models.QuerySet):
    def refresh_next_occurrences(self, now=None, stale_only=False):
        """Store each meeting's current or next occurrence; with `stale_only`, only where it has ended.

        Returns the number of rows written. Closed meetings have none.
        """
        now = now or timezone.now()
        rows = self.exclude(status="closed")
        if stale_only:
            rows = rows.filter(Q(next_start__isnull=True) | Q(next_end__lte=now))[:STALE_BATCH]
        else:
            self.filter(status="closed").exclude(next_start=None).update(next_start=None, next_end=None)
        changed = []
        for meeting in rows.only(
            "pk",
            "status",
            "suspended_until",
            "frequency",
            "interval",
            "weekday",
            "positions",
            "starts_on",
            "start_time",
            "end_time",
            *FIELDS,
        ):
            found = next_occurrence(meeting, now)
            if (meeting.next_start, meeting.next_end) != found:
                meeting.next_start, meeting.next_end = found
                changed.append(meeting)
        self.model.objects.bulk_update(changed, FIELDS, batch_size=500)
        if changed and not stale_only:
            # Lists are ordered and labelled by these columns. Not for the few rows a request refreshes:
            # that is time passing, which cached pages follow by their time slice (entraide.http_cache).
            data_changed()
        return len(changed)

    def in_time_order(self):
        """The running and next occurrences first: a list read as an agenda from now."""
        return self.order_by(F("next_start").asc(nulls_last=True), "pk")

    def occurring(self, when, now):
        """Meetings whose current or next occurrence overlaps the `quand` window `when` around `now`.

        The next occurrence is the first one not ended at `now`, and a meeting
        meets on one weekday, so no other occurrence can fall in a window of
        at most seven days starting from now: the columns answer exactly.
        """
        start, end = when_window(when, now)
        if when == "en-cours":
            return self.filter(next_start__lte=now, next_end__gt=now)
        return self.filter(next_start__lt=end, next_end__gt=max(start, now))


class NextOccurrence(models.Model):
    """The columns `NextOccurrenceQuerySet` keeps: when the running or next occurrence starts and ends."""

    next_start = models.DateTimeField(_("prochaine occurrence"), null=True, blank=True, editable=False, db_index=True)
    next_end = models.DateTimeField(
        _("fin de la prochaine occurrence"), null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def when_label(self, now=None):
        return when_label(self.next_start, self.next_end, now or timezone.now())
