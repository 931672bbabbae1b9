"""Walking the site as its users do, for the tests that look at every page: one page of each
type, the admin views a staff member or a superuser reaches from the sidebar, and readers of
the HTML (what a page loads from where; what text it shows).

Used by tests/portal/test_no_outside_hosts.py and tests/portal/test_admin_chinese.py."""

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.test import Client
from wagtail.admin.menu import admin_menu
from wagtail.models import Page

from tests import factories
from volunteering.communities.models import BrandCard

# --- Content -----------------------------------------------------------------------------------


def build_one_of_each_page_type(world, site_tree) -> list[Page]:
    """Beside the admin tests' world (communities, activities, work of every kind): a news page,
    a standard page, a brand project with a card and the activity listing, so that every page
    type of the portal is live once."""
    factories.NewsPageFactory(parent=site_tree.news, title="新闻：社区义诊")
    factories.StandardPageFactory(parent=site_tree.home, title="关于平台", slug="about")
    brand = factories.BrandProjectPageFactory(parent=site_tree.community, title="小微服务")
    BrandCard.objects.create(
        page=brand, kind=BrandCard.Kind.LOVE_CONTACT, title="爱心联系卡", text="有困难，找党员。"
    )
    factories.ActivityIndexPageFactory(parent=site_tree.home)
    return list(Page.objects.live().filter(depth__gt=1).specific())


def one_page_per_type() -> list[Page]:
    seen: dict[int, Page] = {}
    for page in Page.objects.filter(depth__gt=1).order_by("path"):
        seen.setdefault(page.content_type_id, page)
    return list(seen.values())


# --- Public pages ------------------------------------------------------------------------------

# Not pages: files, feeds and calendars (no HTML), sign-out, the admins and the API.
NOT_PAGES = re.compile(
    r"^/(admin|django-admin|api|documents|media|static|i18n|jsi18n|accounts/logout)/"
    r"|\.(ics|svg|xml|csv|xlsx|pdf|png|jpg)$|/(rss|atom)/$"
)


def public_pages(client: Client, *, limit: int = 80) -> Iterator[tuple[str, str]]:
    """(path, HTML) of the public site as `client` finds it: every live page, then what their
    links lead to on this site (routes such as print views, the calendar, search), breadth
    first, up to `limit` pages; each path once, whatever its query string."""
    queue = ["/", "/search/?q=社区", "/accounts/login/", "/feedback/status/"]
    queue += [page.url for page in Page.objects.live().filter(depth__gt=2) if page.url]
    seen: set[str] = set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or NOT_PAGES.search(path):
            continue
        seen.add(path)
        response = client.get(url, follow=True)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        yield url, html
        for link in BeautifulSoup(html, "html.parser").select("a[href]"):
            href = urldefrag(link["href"])[0]
            parts = urlsplit(href)
            if href.startswith("/") and not href.startswith("//") and not parts.netloc:
                queue.append(href)


# --- Admin views -------------------------------------------------------------------------------


def _menu_urls(menu, request) -> Iterator[str]:
    for item in menu.menu_items_for_request(request):
        if hasattr(item, "menu"):
            yield from _menu_urls(item.menu, request)
        elif item.url.startswith("/admin/"):
            yield item.url


def _listing_links(html: str, index_url: str) -> list[str]:
    """A listing's first row's link (to its edit or inspect view) and its add button's, those it
    has."""
    soup = BeautifulSoup(html, "html.parser")
    prefix = index_url.split("?")[0]
    links = []
    for link in soup.select("table a[href]"):
        href = link["href"]
        if href.startswith(prefix) and re.search(r"/(edit|inspect)/", href):
            links.append(href)
            break
    for link in soup.select("a[href]"):
        if link["href"] in (prefix + "add/", prefix + "new/"):
            links.append(link["href"])
            break
    return links


def admin_views(client: Client, user) -> Iterator[tuple[str, str]]:
    """(URL, HTML) of the admin views `user` works in: the dashboard, the page explorer and its
    search, the edit form of one page of each type and an add form, the account page, every item
    of the sidebar as `user` sees it, and the first object and the add form of each listing."""
    from django.test import RequestFactory

    client.force_login(user)
    urls = ["/admin/", "/admin/pages/", "/admin/pages/search/?q=社区", "/admin/account/"]
    pages = [page for page in one_page_per_type() if page.permissions_for_user(user).can_edit()]
    urls += [f"/admin/pages/{page.pk}/" for page in pages if page.numchild]
    urls += [f"/admin/pages/{page.pk}/edit/" for page in pages]
    news_index = next((p for p in pages if p.specific_class.__name__ == "NewsIndexPage"), None)
    if news_index is not None:
        urls.append(f"/admin/pages/add/news/newspage/{news_index.pk}/")
    client.get("/admin/")  # loads the admin's URLs, and with them every viewset's menu item
    request = RequestFactory().get("/admin/")
    request.user = user
    menu_urls = list(dict.fromkeys(_menu_urls(admin_menu, request)))
    seen: set[str] = set()
    for url in [*urls, *menu_urls]:
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, (user.username, url, response.status_code)
        html = response.content.decode()
        yield url, html
        if url not in menu_urls:
            continue
        for detail in _listing_links(html, url):
            if detail not in seen:
                seen.add(detail)
                response = client.get(detail, follow=True)
                assert response.status_code == 200, (user.username, detail)
                yield detail, response.content.decode()


# --- Reading HTML ------------------------------------------------------------------------------

ABSOLUTE_URL = re.compile(r"""(?:\b[a-z][a-z0-9+.-]*:)?//[^\s"'<>()\\,]+""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
# Where an absolute URL is only a name or a link to follow, never something the browser loads:
# navigation links, namespaces, and metadata read by other sites (og:url, canonical).
NAVIGATION = {("a", "href"), ("area", "href"), ("link", "href"), ("meta", "content")}
MENU_LINK = re.compile(r'"url":\s*"[^"]*"')
LOADING_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "dns-prefetch",
    "preconnect",
}


def _host(url: str) -> str | None:
    parts = urlsplit(url)
    return parts.hostname if parts.netloc else None


def _outside(urls, allowed: set[str]) -> list[str]:
    return [url for url in urls if (host := _host(url)) and host not in allowed]


def linked_css(html: str) -> Iterator[tuple[str, str]]:
    """(href, text) of each stylesheet the page links from this site's static files."""
    for link in BeautifulSoup(html, "html.parser").select("link[rel~=stylesheet][href]"):
        href = link["href"]
        path = urlsplit(href).path
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/"))
            if found:
                with open(found, encoding="utf-8", errors="replace") as css:
                    yield href, css.read()


def outside_loads(html: str, allowed: set[str]) -> list[str]:
    """Every absolute URL to a host not in `allowed` that the page would load or send to: any
    attribute but a navigation link's (src, srcset, action, data-*-url values, style…), a
    <link> that loads (stylesheet, icon, preload…), inline CSS and scripts, and the CSS files
    it links from static. Returned as "<tag attr>: url" for the failure message."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if attr == "xmlns" or attr.startswith("xmlns:"):
                continue
            values = value if isinstance(value, list) else [value]
            text = " ".join(values)
            if (tag.name, attr) in NAVIGATION:
                rels = set(tag.get("rel") or [])
                if tag.name != "link" or not rels & LOADING_LINK_RELS:
                    continue
            urls = ABSOLUTE_URL.findall(text)
            found += [f"<{tag.name} {attr}>: {url}" for url in _outside(urls, allowed)]
        if tag.name in ("style", "script") and tag.string:
            # The sidebar is drawn from JSON in a script: its menu items' "url"s are links.
            urls = ABSOLUTE_URL.findall(MENU_LINK.sub("", tag.string))
            found += [f"<{tag.name}>: {url}" for url in _outside(urls, allowed)]
    for href, css in linked_css(html):
        urls = [a or b for a, b in CSS_URL.findall(css)]
        found += [f"{href}: {url}" for url in _outside(urls, allowed)]
    return found


def visible_text(html: str) -> str:
    """What a reader sees (and hears from a screen reader): text outside scripts, styles and
    templates (hidden elements included: scripts reveal them, "Saved" among them), plus the
    attributes shown as text (title, placeholder, aria-label, alt, value of
    buttons)."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    parts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        for attr in ("title", "placeholder", "aria-label", "alt", "data-w-tooltip-content-value"):
            if tag.get(attr):
                parts.append(str(tag[attr]))
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            parts.append(str(tag["value"]))
    return " ".join(" ".join(parts).split())
