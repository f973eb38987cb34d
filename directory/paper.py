"""What professionals take away from a search: the whole list on paper, a poster, a subscription.

The print page and the poster read the finder's own `Search` (same parameters,
same validation); this module adds what paper needs: the live address a QR code
points to, the QR code itself (drawn here, never by a third-party service), the
helplines every printed sheet ends with and the poster's selection by movement.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .finder import Search


@dataclass(frozen=True)
class Helpline:
    """A listening line, the language it answers in, and where that was checked."""

    name: str
    number: str
    tel: str
    language: str  # ISO 639-1
    source: str

    @property
    def answers_in(self):
        return ANSWERS_IN[self.language]


# Only the languages a line is known to answer in: a line is listed with its language or not at all.
ANSWERS_IN = {"fr": _("en français"), "de": _("en allemand")}

# The national helplines (Santé publique France), stated once for the page footer, the print
# page and the poster. They answer in French; their sites offer no other language.
HELPLINES = [
    Helpline("Alcool Info Service", "0 980 980 930", "+33980980930", "fr", "https://www.alcool-info-service.fr/"),
    Helpline("Drogues Info Service", "0 800 23 13 13", "+33800231313", "fr", "https://www.drogues-info-service.fr/"),
    Helpline("Joueurs Info Service", "09 74 75 13 13", "+33974751313", "fr", "https://www.joueurs-info-service.fr/"),
]
HELPLINES_HOURS = _("Écoute anonyme et gratuite, 7 jours sur 7, de 8 h à 2 h :")

# Across the border, only official lines with a source: Germany's national line, run by the regional
# drug helplines under the federal health education agency (BZgA), 24 hours a day, 0.20 EUR a call
# from German networks. Number checked on 26 Nov 2026 at https://www.leossprojekt.de/hilfe/sucht-drogen-hotline
# (which quotes the hotline). No Swiss, Luxembourg or Belgian line yet: none found with a source.
CROSS_BORDER_HELPLINES = [
    Helpline(
        "Sucht & Drogen Hotline", "01806 313031", "+491806313031", "de", "https://www.sucht-und-drogen-hotline.de/"
    ),
]
EMERGENCY = _("En cas d'urgence vitale, appelez le 15 ou le 112.")

# A poster is one A4 page: beyond this many meetings it sends readers to the QR code.
POSTER_MAX_MEETINGS = 36
POSTER_MIN_PER_MOVEMENT = 3


def query_string(data, drop=("page",)):
    """The search's parameters as a query string, in their given order, without `drop`."""
    pairs = [(key, value) for key in data for value in data.getlist(key) if key not in drop and value != ""]
    return urlencode(pairs)


def absolute_url(path, data=None):
    """`path` on the public site, with the search's parameters when given."""
    query = query_string(data) if data is not None else ""
    return settings.SITE_URL + path + (f"?{query}" if query else "")


def webcal_url(data):
    """The search's calendar as a subscription: same address, the scheme calendar apps subscribe to."""
    url = absolute_url(reverse("data:agenda_ics"), data)
    return "webcal://" + url.split("://", 1)[1] if urlsplit(url).scheme in ("http", "https") else url


def qr_code(url):
    return segno.make(url, error="m", micro=False)


def qr_svg(url, title):
    """The QR code of `url` as an inline SVG element, black on white, sized by its container."""
    return qr_code(url).svg_inline(scale=4, border=4, title=str(title), omitsize=True, svgclass="qr")


@dataclass
class MovementBlock:
    """One movement on a poster: its meetings in the territory, as many as the page holds."""

    movement: object
    meetings: list = field(default_factory=list)
    shown: int = 0

    @property
    def count(self):
        return len(self.meetings)

    @property
    def visible(self):
        return self.meetings[: self.shown]

    @property
    def hidden_count(self):
        return self.count - self.shown


class Poster:
    """A territory's poster: the finder's search there, its meetings grouped by movement.

    `territory` is the Department or Commune the poster is for; `data` the finder's
    parameters, the territory already set in them.
    """

    def __init__(self, territory, data, queryset):
        self.territory = territory
        self.data = data
        self.search = Search(data, queryset=queryset)

    def is_valid(self):
        return self.search.is_valid()

    @property
    def live_url(self):
        return absolute_url(reverse("directory:meeting_list"), self.data)

    @cached_property
    def meetings(self):
        return list(self.search.results)

    @cached_property
    def blocks(self):
        """Movements with meetings here, by name; each shows its first meetings in week order."""
        by_movement = {}
        for meeting in self.meetings:
            movement = meeting.group.movement
            by_movement.setdefault(movement.pk, MovementBlock(movement)).meetings.append(meeting)
        blocks = sorted(by_movement.values(), key=lambda block: block.movement.name)
        if blocks:
            share = max(POSTER_MIN_PER_MOVEMENT, POSTER_MAX_MEETINGS // len(blocks))
            for block in blocks:
                block.shown = min(block.count, share)
        return blocks

    @property
    def count(self):
        return len(self.meetings)

    @property
    def criteria(self):
        """The search in words, but the territory: the poster's title names it."""
        fields = self.search.form.fields
        territorial = {str(fields[name].label) for name in ("commune", "departement")}
        return [(label, value) for label, value in self.search.criteria if str(label) not in territorial]


def meeting_place(meeting):
    """Where, in one line: the venue and its full address, or 'en ligne'."""
    if meeting.venue:
        venue = meeting.venue
        return f"{venue.name}, {venue.address}, {venue.postal_code} {venue.commune.name}"
    return str(_("en ligne"))


def meeting_when(meeting):
    """'chaque mardi, de 20:00 à 22:00', with the suspension when there is one."""
    text = f"{meeting.schedule_display}, {meeting.time_range_text}"
    return f"{text} ({meeting.suspension_note})" if meeting.suspension_note else text
