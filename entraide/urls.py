from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from directory.sitemaps import SITEMAPS, index
from directory.views_data import robots_txt
from entraide.health import healthz

# Same URL in every language: the admin, the health check, and the exports whose paths and
# columns are a contract (CSV, iCalendar, feeds).
urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("directory.urls_data")),
    path("sitemap.xml", index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

# Public pages: French at the unprefixed URLs people have bookmarked, German under /de/,
# English under /en/; slugs and query parameters stay French in every language.
urlpatterns += i18n_patterns(
    path("charte/", include("charter.urls")),
    path("", include("directory.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
