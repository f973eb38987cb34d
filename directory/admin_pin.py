"""A small map to place a venue's pin (issue 15, item 3): coordinates are never typed by hand.

The venue page and the guided meeting form's new venue get a Leaflet map (the finder's own copy,
from our static files; tiles only from MAP_TILE_URL). The pin starts at the centre of the venue's
commune, or of the group's when the new venue has none yet; a click or a drag moves it, and the
latitude/longitude fields it fills are hidden while the map is there. Without JavaScript the map
stays hidden and the fields remain, empty meaning "the centre of the commune" as before.

The position endpoint answers the page's script with a commune's (or a group's commune's) centre.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Avg
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Commune, Group

PIN_MEDIA_JS = ["js_lib_leaflet/leaflet.js", "js/venue_pin.js"]
PIN_MEDIA_CSS = {"all": ["js_lib_leaflet/leaflet.css"]}


def pin_map(latitude, longitude, commune, group=""):
    """The map's container: names of the fields it reads and fills, where to ask for a centre, tiles, icons."""
    return render_to_string(
        "admin/includes/venue_pin.html",
        {
            "fields": {"latitude": latitude, "longitude": longitude, "commune": commune, "group": group},
            "position_url": reverse("admin:directory_venue_position"),
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "icons": {
                "icon": static("js_lib_leaflet/images/marker-icon.png"),
                "icon_2x": static("js_lib_leaflet/images/marker-icon-2x.png"),
                "shadow": static("js_lib_leaflet/images/marker-shadow.png"),
            },
        },
    )


def _centre(commune, zoom=15):
    return {"latitude": commune.latitude, "longitude": commune.longitude, "commune": commune.name, "zoom": zoom}


def position_view(request):
    """The centre of `?commune=<INSEE code>`, or of the commune of `?groupe=<id>` (one of hers), or
    of the region's communes with neither: where the pin starts."""
    if not rules.can_view(request.user, Commune):
        return JsonResponse({"erreur": _gettext("Accès réservé aux coordinateurs.")}, status=403)
    insee, group_id = request.GET.get("commune", "").strip(), request.GET.get("groupe", "").strip()
    if insee:
        commune = Commune.objects.filter(pk=insee).first()
        if commune is None:
            return JsonResponse({"erreur": _gettext("Commune inconnue.")}, status=400)
        return JsonResponse(_centre(commune))
    if group_id:
        group = None
        if group_id.isdigit():
            group = Group.objects.for_user(request.user).select_related("commune").filter(pk=group_id).first()
        if group is None:
            return JsonResponse({"erreur": _gettext("Groupe inconnu.")}, status=400)
        return JsonResponse(_centre(group.commune))
    region = Commune.objects.aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if region["latitude"] is None:
        return JsonResponse({"erreur": _gettext("Aucune commune chargée.")}, status=400)
    return JsonResponse({**region, "commune": "", "zoom": 7})


class VenuePinMixin:
    """The venue page: its map right after the coordinates it fills, and the position endpoint."""

    class Media:
        js = PIN_MEDIA_JS
        css = PIN_MEDIA_CSS

    def get_urls(self):
        return [
            path("position/", self.admin_site.admin_view(position_view), name="directory_venue_position"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "pin_map"]

    def get_fields(self, request, obj=None):
        fields = [field for field in super().get_fields(request, obj) if field != "pin_map"]
        if not self.has_change_permission(request, obj):
            return fields  # read-only (a venue shared with other movements): no pin to move
        at = fields.index("longitude") + 1 if "longitude" in fields else len(fields)
        return [*fields[:at], "pin_map", *fields[at:]]

    @admin.display(description=_("Position sur la carte"))
    def pin_map(self, obj):
        return pin_map("latitude", "longitude", "commune")
