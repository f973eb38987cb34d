from django.conf import settings
from django.utils import timezone


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "today": timezone.localdate(),
    }
