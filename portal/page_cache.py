"""Public pages served to anonymous visitors from the shared cache (docs/deployment.md, "The
page cache").

The rule, in one place:

- **Looked up** for a GET by a visitor without a session or messages cookie and without an
  Authorization header, once the address has been resolved to Wagtail's page view or to a public
  view wrapped in `public()` (search, statistics, rankings, the residents' feedback forms): the
  view says whether it may be cached, not a list of paths. Such a visitor is anonymous and has no
  per-user state: nothing on a public page can be theirs alone but the CSRF token, which is put
  back per request (below).
- **Stored** only when a Wagtail page (the `before_serve_page` hook marks the request) or a
  `public()` view answered, with a 200 HTML response that sets no cookie, wrote nothing to the
  session, queued no message, and is not marked private, no-store or no-cache; a page model can
  opt out with `page_cache = False`.
- **Key**: the scheme, the host, the active language (the language switch is a cookie, not a
  URL prefix) and the full path with its query string; the entry holds the site-wide version it
  was rendered under and counts only while that is current. Each process keeps its latest
  entries too (`LocalLayer`), so a hit usually costs no round trip to Redis.
- **Invalidated** by replacing the site-wide version (`bump()`): on publish, unpublish, move or
  delete of any page, and on a save or delete of anything the portal's apps store but their
  bookkeeping (`portal/page_cache_receivers.py`). The process that bumps sees it at once, the
  others within `PAGE_CACHE_VERSION_SECONDS` (one second by default). Every entry also expires
  after `PAGE_CACHE_SECONDS`, the bound on staleness for what no signal announces (figures
  recomputed by a task, view counts shown on news pages, a sign-up deadline passing).
- **CSRF**: the stored HTML holds a placeholder where `{% csrf_token %}` rendered the visitor's
  token; each hit puts in a token of its own visitor (`get_token`, which also has
  CsrfViewMiddleware set the cookie), so forms on cached pages post as on fresh ones.
- **Hits** answer `X-Cache: hit` without a database query and call the `page_cache_hit` hooks
  (`fn(request, page_id, page_type)`: news counts a view there). Misses say `X-Cache: miss`;
  requests that are not looked up say nothing.

The middleware looks up in `process_view` (the address is resolved by then, and resolving costs
no query) and stores on the way out. It sits after CsrfViewMiddleware, AuthenticationMiddleware
and MessageMiddleware, so their responses' work (the CSRF cookie, Vary) applies to hits too.
"""

import functools
import re
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import cc_delim_re
from wagtail import hooks
from wagtail.views import serve as wagtail_serve

VERSION_KEY = "pagecache:version"
HIT_HOOK = "page_cache_hit"
HEADER = "X-Cache"
# The request attribute the before_serve_page hook sets: (page id, page type label).
PAGE_ATTRIBUTE = "page_cache_page"

CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
CSRF_PLACEHOLDER = b"__page_cache_csrf_token__"
_UNCACHEABLE_CONTROL = {"private", "no-store", "no-cache"}


def current_version() -> str:
    """The site-wide version; a new one is made when none is stored (first use, or evicted). A
    random token, never a counter: an evicted counter would start again and bring old entries
    back."""
    version = cache.get(VERSION_KEY)
    return version if version is not None else _new_version()


def _new_version() -> str:
    cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(VERSION_KEY)


def bump() -> None:
    """Forget every cached page, on every app server (they share the cache): at once in this
    process, within PAGE_CACHE_VERSION_SECONDS in the others."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    _local.set_version(version)


class LocalLayer:
    """Each process's own copy of the entries it served lately, and of the version, read from
    the shared cache at most every PAGE_CACHE_VERSION_SECONDS: a hit then costs no round trip
    to Redis (on a busy machine a round trip costs more than the rest of the hit). An entry
    counts only under the current version and until it expires, like the shared one."""

    MAX_ENTRIES = 200
    MAX_BYTES = 256 * 1024  # larger pages are served from the shared cache only

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self._version: str | None = None
        self._checked = 0.0

    def version(self) -> str:
        now = time.monotonic()
        if self._version is None or now - self._checked >= settings.PAGE_CACHE_VERSION_SECONDS:
            self.set_version(current_version())
        return self._version

    def set_version(self, version: str) -> None:
        self._version, self._checked = version, time.monotonic()

    def get(self, key: str, version: str) -> dict | None:
        entry = self.entries.get(key)
        if entry is None or entry["version"] != version:
            return None
        try:
            self.entries.move_to_end(key)
        except KeyError:  # evicted meanwhile by another thread (runserver)
            pass
        return entry

    def put(self, key: str, entry: dict) -> None:
        if len(entry["content"]) > self.MAX_BYTES:
            return
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.MAX_ENTRIES:
            self.entries.popitem(last=False)


_local = LocalLayer()


def cache_key(request) -> str:
    scheme = "https" if request.is_secure() else "http"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagecache:{scheme}:{request.get_host()}:{language}:{request.get_full_path()}"


def is_anonymous_get(request) -> bool:
    """Whether this request may be answered from the cache: an anonymous GET with no state."""
    if not getattr(settings, "PAGE_CACHE_ENABLED", False) or request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_view(view_func) -> bool:
    return view_func is wagtail_serve or getattr(view_func, PUBLIC_VIEW_ATTRIBUTE, False)


PUBLIC_VIEW_ATTRIBUTE = "page_cache_public"


def public(view):
    """A public view whose answer to an anonymous GET is the same for every visitor (but the
    CSRF token): cached like a Wagtail page, under the view's name. Only for views whose data
    the site-wide version covers (a save of the portal's models, a publish, new figures)."""
    label = f"view:{view.__module__}.{view.__name__}"

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        setattr(request, PAGE_ATTRIBUTE, (None, label))
        return view(request, *args, **kwargs)

    setattr(wrapped, PUBLIC_VIEW_ATTRIBUTE, True)
    return wrapped


def is_stored(request, response) -> bool:
    if getattr(request, PAGE_ATTRIBUTE, None) is None:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    directives = cc_delim_re.split(response.get("Cache-Control", ""))
    control = {d.split("=")[0].strip().lower() for d in directives}
    if control & _UNCACHEABLE_CONTROL:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def mark_page(page, request, *args, **kwargs) -> None:
    """The before_serve_page hook: a Wagtail page (not a preview) answers this request."""
    if getattr(page, "page_cache", True) and not getattr(request, "is_preview", False):
        setattr(request, PAGE_ATTRIBUTE, (page.pk, page._meta.label_lower))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_get(request):
            return self.get_response(request)
        request._page_cache_lookup = True
        response = self.get_response(request)
        if getattr(request, "_page_cache_key", None) and is_stored(request, response):
            self._store(request._page_cache_key, request._page_cache_version, request, response)
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A hit answers here, before the view; a miss notes the key for the way out."""
        if not getattr(request, "_page_cache_lookup", False) or not is_cacheable_view(view_func):
            return None
        key = cache_key(request)
        version = _local.version()
        entry = _local.get(key, version)
        if entry is None:
            entry = cache.get(key)
            if entry is not None and entry["version"] == version:
                _local.put(key, entry)
        if entry is not None and entry["version"] == version and entry["expires"] > time.time():
            return self._hit(request, entry)
        request._page_cache_key, request._page_cache_version = key, version
        return None

    def _store(self, key, version, request, response) -> None:
        content = CSRF_INPUT.sub(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", response.content)
        headers = [(k, v) for k, v in response.items() if k != HEADER]
        page_id, page_type = getattr(request, PAGE_ATTRIBUTE)
        seconds = settings.PAGE_CACHE_SECONDS
        entry = {"version": version, "expires": time.time() + seconds, "headers": headers}
        entry.update(content=content, page=page_id, type=page_type)
        cache.set(key, entry, timeout=seconds)
        _local.put(key, entry)

    def _hit(self, request, entry) -> HttpResponse:
        content = entry["content"]
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        for fn in hooks.get_hooks(HIT_HOOK):
            fn(request, entry["page"], entry["type"])
        return response


def cached_sitemap(view):
    """The sitemap's index and pages (`portal.sitemaps`) kept in the shared cache under the
    site-wide version, so a publish, unpublish, move or delete gives fresh ones, and otherwise
    at most PAGE_CACHE_SECONDS old. Only while the page cache is on: without it nothing replaces
    the version."""

    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE_ENABLED or request.method != "GET":
            return view(request, *args, **kwargs)
        version, host = current_version(), request.get_host()
        key = f"portal:sitemap:{version}:{host}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            stored = (response.content, response["Content-Type"])
            cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped
