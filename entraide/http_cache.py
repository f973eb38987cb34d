"""HTTP caching of the anonymous public pages: ETag and 304, a short max-age, whole pages in the shared cache.

A page depends on the data (its version, `directory.versioning`), on its URL
(path, language prefix and query string) and on the time: lists read from "now"
("prochaine réunion", `quand=ce-soir`, the order of the week). Time is cut into
slices of `PAGE_CACHE_SECONDS` (300 by default) aligned on the clock, so that a
meeting starting at 20:00 appears "en cours" at 20:00 sharp. Within one slice,
one (version, URL) gives one page: it is rendered once, stored in the "pages"
cache (Redis, or a table of the database) and answered from there, or with a
304 when the visitor already holds it (its ETag names the version, URL and slice).

How late a page can be:
- a change of the data retires the version at once: the next request renders
  afresh; a browser may keep its copy for `MAX_AGE` (60 s) before it asks again;
- time: a page is exact for its whole slice for every meeting starting or
  ending on a slice boundary (most do: 20:00, 18:30…); one at 20:02 shows late
  by less than one slice. The browser's max-age never goes past the slice end.

Only what cannot differ between visitors is cached: GET and HEAD of the pages
in `PAGES` (never the report forms, which carry a CSRF token, nor the
orientation answers or a "près de moi" search, which promise to store nothing
of the visitor), for visitors with no session (a coordinator browsing the site
always gets a live page, and never stores one), answered 200 with no cookie set,
no Cache-Control of its own, at most `MAX_BODY` bytes. Errors (a finder's 400,
a 404, a closed meeting's 410) are never stored. The cache failing (Redis down)
only turns caching off.

Placed below PublicGZipMiddleware: pages are stored uncompressed and compressed
for each visitor who asks, with "Vary: Accept-Encoding" as for any page.
"""

import hashlib
import logging
import time
import zlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from directory import versioning

logger = logging.getLogger(__name__)

# The public pages whose content depends only on the data, the URL and the time. Not the
# orientation questions, which promise to store nothing of what a visitor answered.
PAGES = frozenset(
    {
        "directory:home",
        "directory:movement_list",
        "directory:movement_detail",
        "directory:group_detail",
        "directory:meeting_list",
        "directory:meeting_detail",
        "directory:department_list",
        "directory:department_detail",
        "directory:commune_detail",
        "directory:open_data",
        "charter:detail",
        "charter:matrix",
    }
)
# Browsers and proxies may reuse a page this long without asking; a short time, as data
# changes are seen at once on the server. Revalidating afterwards costs a 304.
MAX_AGE = 60
# A larger page (a very long list) is rendered each time rather than fill the cache.
MAX_BODY = 1024 * 1024
# Set by the view or the response phase below us; never replayed to another visitor.
NOT_STORED_HEADERS = {"set-cookie", "date", "etag", "cache-control", "expires", "last-modified"}


class Page:
    """What this request's page is keyed and tagged by, computed before the view runs."""

    def __init__(self, request, seconds):
        now = time.time()
        slice_index = int(now // seconds)
        self.max_age = max(0, min(MAX_AGE, int((slice_index + 1) * seconds - now)))
        url = f"{request.LANGUAGE_CODE}|{request.get_full_path()}"
        self.key = "page:" + hashlib.sha256(url.encode()).hexdigest()
        # Read with the page, in one round trip; the version is read before the view reads any row,
        # so a page rendered during a change is stored under a version that change retires.
        stored = versioning.cache().get_many([versioning.KEY, self.key])
        version = versioning.current(stored.get(versioning.KEY))
        tag = hashlib.sha256(f"{version}|{slice_index}|{url}".encode()).hexdigest()[:32]
        self.etag = quote_etag(tag)
        self.timeout = max(1, int((slice_index + 1) * seconds - now))
        entry = stored.get(self.key)
        # An entry from another version or slice is stale: rendered again, then replaced.
        self.stored = entry if entry and entry[0] == self.etag else None

    def response(self):
        _etag, headers, body = self.stored
        response = HttpResponse(zlib.decompress(body))
        for name, value in headers:
            response.headers[name] = value
        return response

    def store(self, request, response):
        # HEAD is answered from a stored GET, never stored (its body may be left out).
        if request.method != "GET" or len(response.content) > MAX_BODY:
            return
        headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_STORED_HEADERS]
        try:
            # Compressed (fast, level 1): HTML shrinks about tenfold, and Redis's memory is small (compose.yaml).
            body = zlib.compress(response.content, 1)
            versioning.cache().set(self.key, (self.etag, headers, body), self.timeout)
        except versioning.CacheError:
            logger.exception("Page non mise en cache (cache partagé injoignable).")

    @staticmethod
    def shareable(request, response):
        """The same for every anonymous visitor: may be stored, and marked public for other caches."""
        return (
            not response.streaming
            and not response.cookies
            # The page used the CSRF token: it holds a secret of this visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
            and not response.has_header("Content-Encoding")
        )


def _anonymous(request):
    """No session (so no login), no message waiting, no position: the page is nobody's own."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        # "Près de moi": a visitor's position is never stored, not even inside a cached page.
        and "lat" not in request.GET
        and "lon" not in request.GET
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "_cached_page", None)
        if page is None or response.status_code not in (200, 304):
            return response
        if page.stored is None and response.status_code == 200:
            if not page.shareable(request, response):
                return response
            page.store(request, response)
        response.headers["ETag"] = page.etag
        patch_cache_control(response, public=True, max_age=page.max_age)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            seconds <= 0
            or request.method not in ("GET", "HEAD")
            or request.resolver_match.view_name not in PAGES
            or versioning.CACHE_ALIAS not in settings.CACHES
            or not _anonymous(request)
        ):
            return None
        try:
            page = Page(request, seconds)
        except versioning.CacheError:
            logger.exception("Cache des pages injoignable : page servie sans cache.")
            return None
        request._cached_page = page
        # The visitor holds this very page (If-None-Match): 304, whether or not it is still stored.
        cached = page.response() if page.stored else None
        return get_conditional_response(request, etag=page.etag, response=cached)
