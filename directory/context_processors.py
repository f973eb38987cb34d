from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
