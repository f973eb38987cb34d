"""Open data exports: the same published meetings in the formats other tools read.

Each module turns rows into one format and knows nothing of HTTP; the views in
`directory.views_data` add the finder query, conditional GET and streaming.
"""

import hashlib
import json
import re
from functools import lru_cache
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, uuid5

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language

from ..models import Group, Meeting, Movement, Venue

# Bump when an export's format changes, so that caches holding the old one revalidate.
EXPORT_VERSION = "2"
# Rows fetched per round trip when streaming: memory stays flat, queries stay few.
CHUNK_SIZE = 500
TIME_ZONE = "Europe/Paris"
# Stable identifiers for HSDS: the same row always gets the same UUID.
UUID_NAMESPACE = uuid5(NAMESPACE_URL, "https://entraide-grand-est.fr/donnees/")
PRODUCER = "entraide-grand-est"
LICENCE_NAME = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def absolute(path):
    return settings.SITE_URL + path


@lru_cache(maxsize=512)
def _label(model, field_name, value, language):
    return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))


def label(instance, field_name):
    """`instance.get_<field_name>_display()`, remembered per value and language.

    Django's version rebuilds and hashes the field's (lazy, translated) choices
    on every call: a third of a feed's time at 10,000 meetings.
    """
    return _label(type(instance), field_name, getattr(instance, field_name), get_language())


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def stable_uuid(kind, pk):
    return str(uuid5(UUID_NAMESPACE, f"{kind}:{pk}"))


def data_state():
    """(last modified, fingerprint) of every row an export may draw on, in eight queries.

    Taken over all rows, drafts included: unpublishing a meeting bumps its
    `updated_at` and must invalidate caches although the row leaves the export.
    Deletions leave no `updated_at` behind: counts change the fingerprint, and
    the history's deletion records move the last-modified date.
    """
    parts = [EXPORT_VERSION]
    latest = []
    for model in (Meeting, Group, Movement, Venue):
        row = model.objects.aggregate(last=Max("updated_at"), n=Count("pk"))
        deleted = model.revisions.filter(history_type="-").aggregate(last=Max("history_date"))["last"]
        parts += [str(row["n"]), row["last"].isoformat() if row["last"] else "-"]
        latest += [moment for moment in (row["last"], deleted) if moment]
    return (max(latest) if latest else None), hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def fold_stream(chunks, size=64 * 1024):
    """Group many small strings into fewer, larger chunks for the WSGI server.

    The first chunk (a header, or the first row) goes out at once: the client
    gets its first byte without waiting for 64 KiB of rows.
    """
    chunks = iter(chunks)
    for chunk in chunks:
        yield chunk
        break
    buffer, length = [], 0
    for chunk in chunks:
        buffer.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def e164(phone):
    """French numbers in international form (+33…); short numbers such as 3989 unchanged."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 10 and digits.startswith("0"):
        return "+33" + digits[1:]
    return phone or ""


def json_array(items):
    """A JSON array as text chunks, one item at a time."""
    return json_array_texts(json.dumps(item, ensure_ascii=False) for item in items)


def json_array_texts(texts):
    """A JSON array as text chunks, from its items already written as JSON."""
    yield "["
    for index, text in enumerate(texts):
        yield ("," if index else "") + text
    yield "]"
