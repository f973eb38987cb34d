"""The page's language comes from its URL alone.

French lives at the unprefixed URLs, German under /de/ and English under /en/
(entraide/urls.py). Django's LocaleMiddleware would also read the language
cookie and Accept-Language on the pages outside i18n_patterns (admin, exports);
a URL must mean the same page for whoever opens it, so neither is consulted.
"""

from django.conf import settings
from django.utils import translation


class URLLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Nothing after the response (a test's next query, the next request on this thread) inherits it.
        translation.deactivate()
        # The body depends on the path only: no "Vary: Accept-Language" for caches to split on.
        response.headers.setdefault("Content-Language", language)
        return response
