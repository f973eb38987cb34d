"""What people write for a meeting's schedule, read back into the fields' values: one reading for
the admin's form and the CSV import (issue 15, items 3 and 7).

- times: "20h", "20h30", "20:30", "2030", "midi";
- choices by code or by words: "weekly", "Hebdomadaire", "hebdomadaire (toutes les N semaines)";
- positions in the month: "1,3", "1er et 3e", "1er et 3e jeudis", "dernier".
"""

import re
from datetime import time

from .recurrence import POSITION_NAMES
from .text import fold

# "20", "20h", "20 h 30", "20:30", "20.30", "2030", "830": hours, then optional minutes
# (and seconds, as a browser or a saved value may send them: "20:30:00").
_TIME = re.compile(r"^(\d{1,2})(?:\s*[h:.,]\s*(?:(\d{2})(?::00)?)?|(\d{2}))?$")
_NAMED_TIMES = {"midi": time(12, 0), "minuit": time(0, 0)}


def parse_time(text):
    """A time of day as French speakers write it; ValueError for anything else."""
    text = str(text).strip().lower()
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    hours, minutes = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    return time(hours, minutes)  # ValueError past 23:59


def time_or_text(text):
    """`parse_time` for an imported cell: "20h" becomes "20:00"; anything else is left for the form to refuse."""
    try:
        return f"{parse_time(text):%H:%M}"
    except ValueError:
        return text


def choice_reader(choices, synonyms=None):
    """A reader of one choice field's cell: its code, its label, or the label's first words, any case or accent.

    "Hebdomadaire" and "hebdomadaire (toutes les N semaines)" both read as "weekly". Unknown words
    are returned as typed, for the form to refuse with its own message.
    """
    known, first_words = {}, {}
    for value, label in choices:
        label = fold(label)
        known[fold(value)] = known[label] = known[label.split("(")[0].strip()] = value
        first_words.setdefault(label.split()[0], set()).add(value)
    # A label's first word alone only when no other label starts with it ("permanence" would not do).
    unique = {word: values.pop() for word, values in first_words.items() if len(values) == 1}
    known.update({word: value for word, value in unique.items() if word not in known})
    known.update({fold(word): value for word, value in (synonyms or {}).items()})

    def read(text):
        return known.get(fold(text), text)

    return read


_POSITION_WORDS = {fold(name): position for position, name in POSITION_NAMES.items()}
_POSITION_WORDS.update({"premier": 1, "1re": 1, "deuxieme": 2, "2eme": 2, "troisieme": 3, "3eme": 3, "4eme": 4})


def positions_from_words(text):
    """ "1er et 3e jeudis" → "1,3"; "dernier" → "-1"; "1,3" as it is. Other words (days, "du mois") are ignored."""
    words = fold(text.replace(",", " , ")).split()
    if all(word.lstrip("-").isdigit() or word == "," for word in words):
        return text.strip()
    found = [str(_POSITION_WORDS[word]) for word in words if word in _POSITION_WORDS]
    return ",".join(found) if found else text.strip()


_EVERY_N_WEEKS = re.compile(r"(\d)")
_INTERVAL_WORDS = {
    "chaque semaine": 1,
    "toutes les semaines": 1,
    "une semaine sur deux": 2,
    "tous les quinze jours": 2,
}


def interval_from_words(text):
    """ "une semaine sur deux" → "2", "toutes les 3 semaines" → "3", "chaque semaine" → "1"; digits as they are."""
    folded = fold(text)
    if folded in _INTERVAL_WORDS:
        return str(_INTERVAL_WORDS[folded])
    if folded.isdigit() or not folded:
        return text.strip()
    match = _EVERY_N_WEEKS.search(folded)
    return match.group(1) if match and "semaine" in folded else text.strip()
