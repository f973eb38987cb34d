"""sitemap.xml: fiches, départements, communes with meetings, meetings (as exported: no drafts, no demo)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from .models import Commune, Department, Meeting, Movement


class SiteSitemap(Sitemap):
    # Absolute URLs on the public name (SITE_URL), not on whatever Host the request had.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class EditedSitemap(SiteSitemap):
    # Objects that record their last change tell crawlers, so that unchanged pages are not fetched again.
    def lastmod(self, obj):
        return obj.updated_at


class MovementSitemap(EditedSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Movement.objects.published().order_by("slug")


class DepartmentSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Department.objects.order_by("code")


class CommuneSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        venues = Meeting.objects.exportable().filter(venue__isnull=False).values("venue__commune")
        return Commune.objects.filter(pk__in=venues).order_by("insee")


class MeetingSitemap(EditedSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Meeting.objects.exportable().order_by("pk")


SITEMAPS = {
    "mouvements": MovementSitemap,
    "territoires": DepartmentSitemap,
    "communes": CommuneSitemap,
    "reunions": MeetingSitemap,
}
