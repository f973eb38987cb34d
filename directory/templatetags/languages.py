"""The same page in each language of the site: the header's switch and the hreflang alternates.

Only the prefix changes (entraide/urls.py): slugs and query parameters stay French, so the
path without its prefix is the page in every language.
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..translation import shows_french as _shows_french

register = template.Library()


def unprefixed(path):
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


def prefixed(path, language):
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@register.simple_tag(takes_context=True)
def page_languages(context):
    """[{code, name, path, url, current}] for the current page; url is absolute, without query string."""
    request = context["request"]
    path = unprefixed(request.path_info)
    script = get_script_prefix().rstrip("/")
    query = request.META.get("QUERY_STRING", "")
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "href": script + prefixed(path, code) + (f"?{query}" if query else ""),
            "url": settings.SITE_URL + prefixed(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


# Open Graph wants a territory; the site's readers are in France, Germany and beyond.
OG_LOCALES = {"fr": "fr_FR", "de": "de_DE", "en": "en_GB"}


@register.simple_tag
def og_locale():
    return OG_LOCALES.get(translation.get_language(), "fr_FR")


@register.simple_tag
def french_mark(obj, field):
    """The "(en français)" mark after a movement's text that has no translation in the page's language yet."""
    if not _shows_french(obj, field):
        return ""
    return format_html(' <span class="muted" lang="{}">{}</span>', translation.get_language(), _("(en français)"))


@register.simple_tag
def french_lang(obj, field):
    """` lang="fr"` for the element holding a movement's text shown in French on a German or English page,
    so that screen readers read it with a French voice."""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE) if _shows_french(obj, field) else ""


@register.filter
def shows_french(obj, field):
    """For a block around the "(en français)" mark: `{% if movement|shows_french:"easy_read" %}`."""
    return _shows_french(obj, field)


# Dates and times as each language writes them ("mardi 1 décembre 2026, 20h00", "Dienstag,
# 1. Dezember 2026, 20:00"): the format strings (Django's date filter) are translated messages.
@register.filter
def long_date(value):
    return date_filter(value, pgettext("format de date (filtre date de Django)", "j F Y"))


@register.filter
def day_date(value):
    return date_filter(value, pgettext("format de date (filtre date de Django)", "l j F Y"))


@register.filter
def clock(value):
    return time_filter(value, pgettext("format d'heure (filtre time de Django)", "G\\hi"))
