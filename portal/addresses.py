"""The site's public address (`settings.PORTAL_BASE_URL`): every link that leaves the site starts
with it, whatever address the server was reached at.

Emails, QR codes, feeds, calendars, API answers and share tags build their links with
`absolute_url` / `page_url`; Wagtail builds page URLs (sitemaps, the admin's "view live", emails
of the editorial workflow) from the default Site record, which `sync_default_site` keeps in step
with the setting, after every `migrate` and in `load_demo`. docs/configuration.md says how to
set it."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from wagtail.models import Site


def base_url() -> str:
    """The public address without a trailing slash, e.g. https://portal.example.gov.cn."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (e.g. /my/ or a page's URL) on the public address; an absolute URL is kept."""
    return urljoin(base_url() + "/", path)


def page_url(page, request=None) -> str:
    """A page's full URL on the public address; "" when it is reachable from no site."""
    url = page.get_url(request)
    return absolute_url(url) if url else ""


def host() -> str:
    """The public address's host name (calendar UIDs, the Site record)."""
    return urlsplit(base_url()).hostname or "localhost"


def site_hostname_and_port() -> tuple[str, int]:
    """The Site record's hostname and port for the public address (80 or 443 when it has none,
    by its scheme)."""
    parts = urlsplit(base_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return host(), port


def sync_default_site(**_signal_kwargs) -> bool:
    """Give the default Wagtail Site the public address's hostname and port, so that page URLs
    Wagtail makes agree with ours. True when it changed anything; nothing to do without a
    default site (a database not migrated yet). Connected to `post_migrate`."""
    hostname, port = site_hostname_and_port()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    # Another site may already hold the address (a copied database): leave both as they are.
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])  # Wagtail forgets its cached root paths
    return True
