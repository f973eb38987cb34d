from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from directory.sitemaps import SITEMAPS, index
from directory.views_data import robots_txt
from entraide.health import healthz

admin.site.site_header = "Entraide Grand Est – administration"
admin.site.site_title = "Entraide Grand Est"
admin.site.index_title = "Annuaire des mouvements d'entraide"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("charte/", include("charter.urls")),
    path("donnees/", include("directory.urls_data")),
    path("sitemap.xml", index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("directory.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
