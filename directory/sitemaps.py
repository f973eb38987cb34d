"""sitemap.xml: an index of sections (fiches, départements, communes with meetings, meetings), as exported.

The protocol allows 50,000 URLs per file; sections hold fewer (MEETINGS_PER_FILE)
so that each file stays quick to build, and `/sitemap.xml` is the index of them
(`?p=` pages of a long section included). No drafts, no demo data.

Each page is listed in French, German and English (/de/, /en/), every entry naming its
versions in the three languages and the French one as x-default (hreflang alternates,
as the pages' own <link rel="alternate">). The limit counts these entries.
"""

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .models import Commune, Department, Meeting, Movement

MEETINGS_PER_FILE = 10_000


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

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

    def get_latest_lastmod(self):
        return self.items().aggregate(last=Max("updated_at"))["last"]


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


class PerLanguage(Sequence):
    """The (item, language) pairs of a queryset, read one page at a time.

    Django's i18n sitemap builds the list of every pair to paginate it; for the meetings,
    whatever their number, the paginator's count and each page's slice are SQL instead.
    """

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, languages

    def __len__(self):
        return self.queryset.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        size = len(self.languages)
        first = start // size
        rows = self.queryset[first : -(-stop // size)]
        pairs = [(row, language) for row in rows for language in self.languages]
        return pairs[start - first * size : stop - first * size]


class MeetingSitemap(EditedSitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = MEETINGS_PER_FILE

    def __init__(self):
        super().__init__()
        self.path_prefixes = {}

    def items(self):
        # Only what a URL needs: no joined rows to load, whatever the number of meetings.
        return Meeting.objects.exportable().select_related(None).order_by("pk").values_list("pk", "updated_at")

    def _items(self):
        return PerLanguage(self.items(), self._languages())

    def location(self, item):
        # Called in each language in turn (translation.override): the prefix is the language's.
        language = get_language()
        if language not in self.path_prefixes:
            self.path_prefixes[language] = reverse("directory:meeting_detail", args=[0]).removesuffix("0/")
        return self.path_prefixes[language] + f"{item[0]}/"

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        return Meeting.objects.exportable().aggregate(last=Max("updated_at"))["last"]


SITEMAPS = {
    "mouvements": MovementSitemap,
    "territoires": DepartmentSitemap,
    "communes": CommuneSitemap,
    "reunions": MeetingSitemap,
}


@require_safe
@x_robots_tag
def index(request):
    """The sitemap index: one entry per section file and page, on the public name (SITE_URL)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
