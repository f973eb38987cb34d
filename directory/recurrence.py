"""The subset of RFC 5545 recurrence rules that mutual-aid meetings use.

Weekly ("chaque mardi"), every N weeks ("un mardi sur deux") and monthly on
nth weekdays ("1er et 3e jeudis", "dernier samedi"). Kept free of Django so
that the model, the finder and the calendar export share one definition.
"""

import calendar
from datetime import date, timedelta

RFC_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
POSITION_NAMES = {1: "1er", 2: "2e", 3: "3e", 4: "4e", 5: "5e", -1: "dernier"}
VALID_POSITIONS = {1, 2, 3, 4, 5, -1}


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
    return sorted(positions, key=lambda p: (p < 0, p))


def nth_weekday(year, month, weekday, position):
    """The date of the nth (or last when -1) given weekday of a month, or None."""
    days = [
        day for day in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, day).weekday() == weekday
    ]
    index = position - 1 if position > 0 else position
    try:
        return date(year, month, days[index])
    except IndexError:
        return None


def weekly_dates(anchor, weekday, interval, start, end):
    """Dates on `weekday` every `interval` weeks counted from `anchor`'s week, in [start, end]."""
    first = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    if start > first:
        weeks = (start - first).days // 7
        skip = -(-weeks // interval) * interval  # ceiling to a multiple of interval
        first += timedelta(weeks=skip)
        if first < start:
            first += timedelta(weeks=interval)
    current = first
    while current <= end:
        yield current
        current += timedelta(weeks=interval)


def monthly_dates(anchor, weekday, positions, start, end):
    """Dates on the given positions of `weekday` in each month, from max(anchor, start) to end."""
    start = max(start, anchor)
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        found = [nth_weekday(year, month, weekday, p) for p in positions]
        for day in sorted({d for d in found if d}):
            if start <= day <= end:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def rrule(frequency, interval, weekday, positions):
    """The RRULE value, e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU' or 'FREQ=MONTHLY;BYDAY=1TH,3TH'."""
    day = RFC_DAYS[weekday]
    if frequency == "monthly":
        return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{p}{day}" for p in positions)
    if interval > 1:
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}"
    return f"FREQ=WEEKLY;BYDAY={day}"


def describe(frequency, interval, weekday, positions):
    """The schedule in plain French: 'chaque mardi', '1er et 3e jeudis du mois'."""
    day = DAY_NAMES[weekday]
    if frequency == "monthly":
        names = [POSITION_NAMES[p] for p in positions]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
        plural = "s" if len(names) > 1 else ""
        return f"{joined} {day}{plural} du mois"
    if interval == 1:
        return f"chaque {day}"
    if interval == 2:
        return f"un {day} sur deux"
    return f"un {day} toutes les {interval} semaines"
