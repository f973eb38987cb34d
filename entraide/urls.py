from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Entraide Grand Est – administration"
admin.site.site_title = "Entraide Grand Est"
admin.site.index_title = "Annuaire des mouvements d'entraide"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("charte/", include("charter.urls")),
    path("donnees/", include("directory.urls_data")),
    path("", include("directory.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
