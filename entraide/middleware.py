"""Small project-wide middleware: the Permissions-Policy header, the public body limit, compression."""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.translation import gettext as _


def permissions_policy(get_response):
    """Deny the browser features the site never uses, on every response (Django has no setting for it)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def public_body_limit(get_response):
    """Refuse an oversized body on a public URL before anything reads it (CSRF middleware parses POST).

    Public forms carry a few kilobytes; the admin (CSV import) keeps Django's own limits.
    The reverse proxy has a coarser limit of its own (deploy/Caddyfile).
    """

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.PUBLIC_MAX_BODY_SIZE
        if length > limit and not request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            message = _("Requête trop volumineuse : %(size)d octets au plus.\n") % {"size": limit}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, but never on a response that carries a CSRF token.

    BREACH guesses a secret from the compressed size of pages reflecting the
    visitor's input: the public pages hold none (only the report forms and the
    admin carry a CSRF token, and they are small). Static files are compressed
    ahead of time by whitenoise, which answers before this middleware.
    """

    def process_response(self, request, response):
        # CsrfViewMiddleware sends its cookie with every response whose page used the token.
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        return super().process_response(request, response)
