"""Distances on the Earth's surface: in Python for one pair, in SQL for a queryset.

Both use the haversine formula with the same radius, so that a venue checked
in the admin and a meeting found by the finder agree on what "30 km" means.
"""

from math import asin, cos, radians, sin, sqrt

from django.db.models import F
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_OF_LATITUDE = 111.2


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance between two points, in kilometres."""
    a = (
        sin(radians(lat2 - lat1) / 2) ** 2
        + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def distance_km_expression(lat_field, lon_field, latitude, longitude):
    """`distance_km` as a database expression from fields to a fixed point (SQLite and PostgreSQL)."""
    return (
        2
        * EARTH_RADIUS_KM
        * ASin(
            Sqrt(
                Power(Sin((Radians(F(lat_field)) - radians(latitude)) / 2), 2)
                + Cos(radians(latitude))
                * Cos(Radians(F(lat_field)))
                * Power(Sin((Radians(F(lon_field)) - radians(longitude)) / 2), 2)
            )
        )
    )


def bounding_box(latitude, longitude, km):
    """(lat_min, lat_max, lon_min, lon_max) around a point: an index-friendly prefilter for `km`."""
    lat_margin = km / KM_PER_DEGREE_OF_LATITUDE
    lon_margin = km / (KM_PER_DEGREE_OF_LATITUDE * max(cos(radians(latitude)), 0.01))
    return latitude - lat_margin, latitude + lat_margin, longitude - lon_margin, longitude + lon_margin
