from datetime import timedelta

from django import template

register = template.Library()


def _count(number, word):
    # French: singular below 2.
    return f"{number} {word}{'s' if number >= 2 else ''}"


@register.filter
def duree(value):
    """A timedelta in French words: "30 minutes", "1 heure 30 minutes" (str(timedelta) gives "0:30:00")."""
    if not isinstance(value, timedelta):
        return value
    minutes = round(value.total_seconds() / 60)
    if minutes < 1:
        return "moins d'une minute"
    hours, minutes = divmod(minutes, 60)
    parts = [_count(hours, "heure")] if hours else []
    if minutes:
        parts.append(_count(minutes, "minute"))
    return " ".join(parts)
