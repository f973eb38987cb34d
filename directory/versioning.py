"""One version of everything the public pages show: a stamp that changes whenever that data changes.

Cached pages and their ETags (`entraide.http_cache`) are keyed by it, so a
change anywhere (a meeting saved in the admin, a group deleted, an import, the
scheduled refresh of next occurrences) makes every cached page stale at once.

The stamp is a random token kept in the shared page cache (Redis, or a table of
the database), read in the same round trip as the page itself. A change
*deletes* it: the next reader draws a new token (`cache.add`, so that
concurrent workers agree on one). Drawing a new token rather than deriving one
from the rows is what makes a lost stamp (evicted, culled, Redis restarted)
harmless: a token is never reused, so no page stored before a change can be
served again after it, including changes no aggregate over the rows would see
(a bulk update of next occurrences, a charter item edited). The price of a lost
stamp is one render of each page.

What changes a version:
- any save or deletion of a public model and any change of their many-to-many
  links: signals connected here, for these models only (a receiver for every
  model would disable Django's fast deletes everywhere);
- bulk writes that send no signal call `data_changed()` themselves
  (`refresh_next_occurrences`, `refresh_search`).

The stamp is deleted at once, and again when the transaction commits: a
request that read the rows just before the commit may have stored the old
content under a token drawn in between; the second deletion retires it.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# Sorts after the pages' keys ("page:…"): the database cache, when full, culls the lowest keys first.
KEY = "version"
# What the public pages show, directly or through a relation.
PUBLIC_MODELS = [
    "directory.Meeting",
    "directory.Group",
    "directory.Venue",
    "directory.Movement",
    "directory.AddictionType",
    "directory.Region",
    "directory.Department",
    "directory.Commune",
    "charter.Charter",
    "charter.CharterSection",
    "charter.CharterItem",
    "charter.Commitment",
]

try:  # errors of the shared cache when it is Redis (the database cache fails with the database itself)
    from redis import RedisError as CacheError
except ImportError:  # pragma: no cover - redis is a locked dependency
    CacheError = OSError


def cache():
    return caches[CACHE_ALIAS]


def current(stored=None):
    """The data's version now; `stored` is the value already read from the cache (None if absent)."""
    if stored is not None:
        return stored
    shared = cache()
    token = uuid.uuid4().hex
    # Never expires: only a change retires it. If another worker drew one first, use theirs.
    if shared.add(KEY, token, timeout=None):
        return token
    return shared.get(KEY) or token


def _retire():
    if CACHE_ALIAS not in settings.CACHES:  # no page cache configured (some tests): nothing to retire
        return
    try:
        cache().delete(KEY)
    except CacheError:
        # Redis unreachable: pages it still holds may be served until their time slice ends
        # (entraide.http_cache: PAGE_CACHE_SECONDS at most), as their keys include it.
        logger.exception("Version des données non invalidée (cache partagé injoignable).")


def data_changed(using=None):
    """Public data changed (or will, when the current transaction commits): retire the version."""
    _retire()
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    # Once per transaction: an import saving thousands of rows schedules one deletion, not thousands.
    if any(entry[1] is _retire for entry in connection.run_on_commit):
        return
    transaction.on_commit(_retire, using=using, robust=True)


def _on_save_or_delete(sender, using=None, **kwargs):
    data_changed(using)


def _on_links_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        data_changed(using)


def connect_signals():
    """Called once at start-up (DirectoryConfig.ready)."""
    from django.apps import apps

    models = [apps.get_model(label) for label in PUBLIC_MODELS]
    for model in models:
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            uid = f"data-version-m2m-{through._meta.label}"
            m2m_changed.connect(_on_links_changed, sender=through, dispatch_uid=uid)
