"""The sitemap, in pages: `/sitemap.xml` is an index of `/sitemap-pages.xml?p=N`, each at most
`SITEMAP_PAGE_SIZE` addresses (1,000). At the city's scale (5,000 live pages) one sitemap took
seconds to render on every new version of the page cache (every publish, every sign-up); a page
of it is bounded whatever the number of pages. Search engines read sitemap indexes as sitemaps.
Both are kept in the shared cache under the page cache's version (`page_cache.cached_sitemap`).

A page of the sitemap reads base `Page` rows, not specific pages: Wagtail's `items()` asks for
`.specific()`, one more query for each page type among the page's rows (13 queries in the demo,
6 at city scale, issue 11), though no page type of the portal changes what a page puts in the
sitemap (`get_sitemap_urls`, its URL parts; tests/portal/test_sitemaps.py holds them to that)."""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap, views

from portal.addresses import absolute_url


class PagedSitemap(Sitemap):
    @property
    def limit(self) -> int:
        return settings.SITEMAP_PAGE_SIZE

    def items(self):
        """Wagtail's pages, live and public, in tree order, as base `Page` rows: three queries
        for any page of the sitemap (the site, the count, the rows)."""
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return pages.live().public().order_by("path")

    def _urls(self, page, protocol, domain):
        """Wagtail's addresses, each with the keys Django's template reads: a key missing from
        the dict costs the template three failed lookups (each listing the dict's attributes
        with `dir()`), a tenth of a full page's time."""
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            for key, value in (("changefreq", None), ("priority", None), ("alternates", ())):
                url.setdefault(key, value)
        return urls

    def get_latest_lastmod(self):
        """The index's date in one aggregate, not by reading every page (Django's default)."""
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True).live().public()
        return pages.order_by().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"pages": PagedSitemap}


@x_robots_tag
def sitemap_index(request):
    """Django's index, but on the site's public address (`portal.addresses`), as every address
    in the sitemap's pages is: Django's would take the host the request came in on."""
    sitemap = PagedSitemap(request)
    path = reverse("sitemap_section", kwargs={"section": "pages"})
    lastmod = sitemap.get_latest_lastmod()
    items = [
        SitemapIndexItem(absolute_url(path if n == 1 else f"{path}?p={n}"), lastmod)
        for n in sitemap.paginator.page_range
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def sitemap_section(request, section: str):
    return views.sitemap(request, SITEMAPS, section=section)
