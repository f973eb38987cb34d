"""Compression of HTML and JSON, except where a secret could leak through it."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


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
