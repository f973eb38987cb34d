"""The subset of RFC 5545 recurrence rules that mutual-aid meetings use, on dateutil's rrule.

Weekly ("chaque mardi"), every N weeks ("un mardi sur deux") and monthly on
nth weekdays ("1er et 3e jeudis", "dernier samedi"). `build` is the one place
that turns a schedule into a rule; the dates, the RRULE text that calendars
and open data carry and the wording are all read from that rule, so they
cannot disagree. Only the wording uses Django (its translations: the page's
language; the exports, outside the language prefixes, stay French), so that
the model, the finder and the exports share one definition. Dates only: the
hour is the meeting's own local (Europe/Paris) wall-clock time, added by
whoever shows or exports it.
"""

from datetime import date, datetime, time, timedelta
from itertools import takewhile

from dateutil import rrule as rfc
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

RFC_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# The contract values above never change; these are what a reader sees, in the page's language.
DAY_LABELS = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]
# "1er et 3e jeudis du mois": French puts the day in the plural, German and English do not.
DAY_LABELS_MONTHLY = [
    pgettext_lazy("1er et 3e … du mois", "lundis"),
    pgettext_lazy("1er et 3e … du mois", "mardis"),
    pgettext_lazy("1er et 3e … du mois", "mercredis"),
    pgettext_lazy("1er et 3e … du mois", "jeudis"),
    pgettext_lazy("1er et 3e … du mois", "vendredis"),
    pgettext_lazy("1er et 3e … du mois", "samedis"),
    pgettext_lazy("1er et 3e … du mois", "dimanches"),
]
POSITION_NAMES = {
    1: pgettext_lazy("… jeudi du mois", "1er"),
    2: pgettext_lazy("… jeudi du mois", "2e"),
    3: pgettext_lazy("… jeudi du mois", "3e"),
    4: pgettext_lazy("… jeudi du mois", "4e"),
    5: pgettext_lazy("… jeudi du mois", "5e"),
    -1: pgettext_lazy("… jeudi du mois", "dernier"),
}
VALID_POSITIONS = {1, 2, 3, 4, 5, -1}
WEEKLY, MONTHLY = "weekly", "monthly"
_WEEKDAYS = [rfc.MO, rfc.TU, rfc.WE, rfc.TH, rfc.FR, rfc.SA, rfc.SU]


def _position_order(position):
    """1st, 2nd … 5th, then the last: how positions are written and read everywhere."""
    return (position < 0, position)


def parse_positions(text):
    """'1,3' -> [1, 3]; '-1' -> [-1]. Raises ValueError on anything else."""
    if not text or not text.strip():
        return []
    positions = []
    for part in text.split(","):
        value = int(part.strip())
        if value not in VALID_POSITIONS:
            raise ValueError(part)
        if value not in positions:
            positions.append(value)
    return sorted(positions, key=_position_order)


def build(frequency, interval, weekday, positions, anchor, since=None):
    """The schedule as a dateutil rule whose occurrences are the meeting dates, at midnight.

    No date comes before `anchor` (the meeting's first date). Every N weeks is
    counted from the first meeting day on or after the anchor: that is what
    the anchor means for "une semaine sur deux". `since` only saves work: the
    rule then starts at the last date in phase before it instead of decades
    earlier, with the same dates from `since` on. An unsaved meeting without a
    first date yet (a form being filled in) is read as starting today.
    """
    anchor = anchor or date.today()
    day = _WEEKDAYS[weekday]
    if frequency == MONTHLY:
        if since:
            anchor = max(anchor, since.replace(day=1))
        return rfc.rrule(rfc.MONTHLY, byweekday=[day(p) for p in positions], dtstart=_midnight(anchor))
    first = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    if since and since > first:
        periods = (since - first).days // (7 * interval)
        first += timedelta(weeks=periods * interval)
    # DTSTART on a meeting day, as RFC 5545 wants it: weeks are then counted from it whatever WKST.
    return rfc.rrule(rfc.WEEKLY, interval=interval, byweekday=day, dtstart=_midnight(first))


def _midnight(day):
    return datetime.combine(day, time())


def dates(rule, start, end):
    """The rule's dates between `start` and `end` inclusive, lazily (`end` may be date.max)."""
    upcoming = rule.xafter(_midnight(start), inc=True)
    return (moment.date() for moment in takewhile(lambda moment: moment.date() <= end, upcoming))


def first_date(rule):
    """The rule's first date: its DTSTART when that is a meeting day, else the next meeting day."""
    return next(iter(rule)).date()


def rrule_fields(rule):
    """The rule's RRULE as {name: value}, from dateutil's own RFC 5545 serialisation.

    BYDAY is written as everywhere else here: '1TH,3TH,-1TH' (dateutil says '+1TH').
    """
    line = str(rule).splitlines()[-1].removeprefix("RRULE:")
    fields = dict(part.split("=", 1) for part in line.split(";"))
    days = [(item[:-2].removeprefix("+"), item[-2:]) for item in fields["BYDAY"].split(",")]
    days.sort(key=lambda item: _position_order(int(item[0] or 0)))
    fields["BYDAY"] = ",".join(position + day for position, day in days)
    return fields


def rrule_text(rule):
    """The RRULE value, e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU' or 'FREQ=MONTHLY;BYDAY=1TH,3TH'."""
    return ";".join(f"{name}={value}" for name, value in rrule_fields(rule).items())


def describe(rule):
    """The rule in plain words of the active language: 'chaque mardi', '1er et 3e jeudis du mois'."""
    fields = rrule_fields(rule)
    days = fields["BYDAY"].split(",")
    weekday = RFC_DAYS.index(days[0][-2:])
    if fields["FREQ"] == "MONTHLY":
        names = [str(POSITION_NAMES[int(item[:-2])]) for item in days]
        joined = names[0]
        if len(names) > 1:
            joined = _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        day = DAY_LABELS_MONTHLY[weekday] if len(names) > 1 else DAY_LABELS[weekday]
        return _("%(positions)s %(day)s du mois") % {"positions": joined, "day": day}
    day = DAY_LABELS[weekday]
    interval = int(fields.get("INTERVAL", 1))
    if interval == 1:
        return _("chaque %(day)s") % {"day": day}
    if interval == 2:
        return _("un %(day)s sur deux") % {"day": day}
    return _("un %(day)s toutes les %(interval)s semaines") % {"day": day, "interval": interval}
