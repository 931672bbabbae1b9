"""The page cache (portal/page_cache.py): anonymous GETs of public pages from the shared cache,
per host and language, never for signed-in visitors; forms still post; news views still count;
every page forgotten when a page is published, unpublished, moved or deleted, or when what pages
show changes."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.viewcache import pending_key
from portal import page_cache
from tests import factories
from tests.news.helpers import BROWSER
from volunteering.voice.models import Feedback

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    page_cache._local.clear()  # this process's layer outlives the suite's cache.clear()
    yield
    page_cache._local.clear()


def get(client, url, **extra):
    return client.get(url, HTTP_USER_AGENT=BROWSER, **extra)


def state(response) -> str | None:
    return response.headers.get("X-Cache")


def test_a_second_anonymous_get_is_a_hit_with_the_same_page_and_no_query(site_tree):
    url = site_tree.community.url
    first = get(Client(), url)
    with CaptureQueriesContext(connection) as queries:
        second = get(Client(), url)
    assert (first.status_code, state(first)) == (200, "miss")
    assert (second.status_code, state(second)) == (200, "hit")
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert second["Content-Type"] == first["Content-Type"]


def test_each_language_has_its_own_entry(site_tree, client):
    url = site_tree.home.url
    chinese = get(Client(), url)
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = get(english_client, url)
    english_again = get(english_client, url)
    chinese_again = get(Client(), url)
    assert state(chinese) == "miss" and state(english) == "miss"
    assert state(english_again) == "hit" and state(chinese_again) == "hit"
    assert english_again.content.decode().count('lang="en"') >= 1
    assert '<html lang="zh-Hans"' in chinese_again.content.decode()
    assert english_again.content != chinese_again.content


def test_each_host_has_its_own_entry(site_tree):
    url = site_tree.home.url
    get(Client(), url, HTTP_HOST="portal.example")
    other = get(Client(), url, HTTP_HOST="other.example")
    again = get(Client(), url, HTTP_HOST="portal.example")
    assert state(other) == "miss" and state(again) == "hit"


def test_query_strings_have_their_own_entry(site_tree):
    url = site_tree.news.url
    get(Client(), url)
    paged = get(Client(), url + "?page=2")
    assert state(paged) != "hit"


def test_signed_in_visitors_never_get_or_fill_the_cache(site_tree, member):
    url = site_tree.community.url
    signed_in = Client()
    signed_in.force_login(member.user)
    first = get(signed_in, url)
    anonymous = get(Client(), url)
    cached = get(Client(), url)
    again = get(signed_in, url)
    assert first.status_code == 200 and state(first) is None
    assert state(anonymous) == "miss" and state(cached) == "hit"
    assert state(again) is None
    assert again.context["request"].user == member.user  # rendered for them, not from the cache


def test_a_visitor_with_a_session_or_messages_is_not_served_from_the_cache(site_tree):
    url = site_tree.home.url
    get(Client(), url)
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"
    assert state(get(with_session, url)) is None
    assert state(get(with_messages, url)) is None
    assert state(get(Client(), url)) == "hit"


def test_posts_and_views_not_marked_public_are_not_cached(site_tree):
    url = site_tree.home.url
    assert state(Client().post(url)) is None
    status = reverse("service:feedback_status")  # a resident's own receipt code: never shared
    get(Client(), status)
    assert state(get(Client(), status)) is None
    assert state(get(Client(), "/health/")) is None


@pytest.mark.parametrize(
    "name",
    ["search", "figures:statistics", "service:rankings", "service:feedback_choose"],
)
def test_public_views_are_cached_like_pages(site_tree, name):
    """Search, the statistics, the rankings and the feedback choice: the same for every
    anonymous visitor, so a second visitor's GET is a hit that asks the database nothing."""
    url = reverse(name) + ("?q=社区" if name == "search" else "")
    first = get(Client(), url)
    with CaptureQueriesContext(connection) as queries:
        second = get(Client(), url)
    assert (first.status_code, state(first)) == (200, "miss")
    assert (second.status_code, state(second)) == (200, "hit")
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_the_cached_feedback_form_posts_with_the_fresh_visitors_token(site_tree):
    url = reverse("service:feedback_create", args=[site_tree.community.pk])
    get(Client(enforce_csrf_checks=True), url)
    visitor = Client(enforce_csrf_checks=True)
    form = get(visitor, url)
    assert state(form) == "hit"
    response = visitor.post(
        url,
        {
            "kind": "help",
            "text": "缓存的表单也能提交",
            "csrfmiddlewaretoken": TOKEN.findall(form.content.decode())[0],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Feedback.objects.filter(text="缓存的表单也能提交").exists()


def test_a_public_view_is_not_stored_for_a_signed_in_visitor(site_tree, member):
    signed_in = Client()
    signed_in.force_login(member.user)
    url = reverse("service:rankings")
    assert state(get(signed_in, url)) is None
    assert state(get(Client(), url)) == "miss"


def test_not_found_is_not_stored(site_tree):
    get(Client(), "/no-such-page/")
    assert get(Client(), "/no-such-page/").status_code == 404
    assert state(get(Client(), "/no-such-page/")) is None


def test_a_page_can_opt_out(site_tree, monkeypatch):
    monkeypatch.setattr(type(site_tree.home.specific), "page_cache", False, raising=False)
    get(Client(), site_tree.home.url)
    assert state(get(Client(), site_tree.home.url)) is None


def test_a_form_on_a_cached_page_posts_with_the_fresh_visitors_token(site_tree):
    """The residents' feedback form on a community page, taken from the cache by a new visitor
    whose browser checks CSRF like a real one."""
    url = site_tree.community.url
    first_visitor = Client(enforce_csrf_checks=True)
    first = get(first_visitor, url)
    visitor = Client(enforce_csrf_checks=True)
    page = get(visitor, url)
    assert state(page) == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert tokens and not tokens & set(TOKEN.findall(first.content.decode()))
    assert "csrftoken" in page.cookies  # the hit gave this visitor a CSRF cookie

    response = visitor.post(
        reverse("service:feedback_create", args=[site_tree.community.pk]),
        {"kind": "help", "text": "楼道灯坏了一个星期了", "csrfmiddlewaretoken": tokens.pop()},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert Feedback.objects.filter(text="楼道灯坏了一个星期了").exists()


def test_the_first_visitors_token_is_not_handed_to_the_next(site_tree):
    url = site_tree.community.url
    first_visitor = Client(enforce_csrf_checks=True)
    get(first_visitor, url)
    stolen = TOKEN.findall(get(first_visitor, url).content.decode())[0]
    visitor = Client(enforce_csrf_checks=True)
    get(visitor, url)
    response = visitor.post(
        reverse("service:feedback_create", args=[site_tree.community.pk]),
        {"kind": "help", "text": "楼道灯坏了一个星期了", "csrfmiddlewaretoken": stolen},
    )
    assert response.status_code == 403  # the check is real: a foreign token fails


def test_the_language_switch_works_from_a_cached_page(site_tree):
    url = site_tree.home.url
    get(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    page = get(visitor, url)
    token = TOKEN.findall(page.content.decode())[0]
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    english = get(visitor, url)
    assert english.headers["Content-Language"] == "en"


def test_news_views_are_counted_on_hits(site_tree):
    item = factories.NewsPageFactory(parent=site_tree.news, title="社区开展义诊活动")
    for n, address in enumerate(["198.51.100.1", "198.51.100.2", "198.51.100.3"]):
        response = get(Client(), item.url, REMOTE_ADDR=address)
        assert state(response) == ("miss" if n == 0 else "hit")
    # The same reader again: not counted twice, as on a fresh page.
    get(Client(), item.url, REMOTE_ADDR="198.51.100.3")
    from django.utils import timezone

    assert cache.get(pending_key(item.pk, timezone.localdate())) == 3


@pytest.fixture
def cached_home(site_tree):
    url = site_tree.home.url
    get(Client(), url)
    assert state(get(Client(), url)) == "hit"
    return url


def test_publishing_a_page_forgets_the_cached_pages(site_tree, cached_home):
    factories.NewsPageFactory(parent=site_tree.news, title="新的一条新闻")
    response = get(Client(), cached_home)
    assert state(response) == "miss"
    assert "新的一条新闻" in response.content.decode()


def test_unpublishing_a_page_forgets_the_cached_pages(site_tree):
    item = factories.NewsPageFactory(parent=site_tree.news, title="即将撤下的新闻")
    get(Client(), site_tree.news.url)
    assert "即将撤下的新闻" in get(Client(), site_tree.news.url).content.decode()
    item.unpublish()
    response = get(Client(), site_tree.news.url)
    assert state(response) == "miss" and "即将撤下的新闻" not in response.content.decode()
    assert get(Client(), item.url).status_code == 404


def test_moving_a_page_forgets_the_cached_pages(site_tree):
    item = factories.NewsPageFactory(parent=site_tree.news, title="搬家的新闻")
    old_url = item.url
    get(Client(), old_url)
    assert state(get(Client(), old_url)) == "hit"
    item.move(site_tree.community, pos="last-child")
    moved = get(Client(), old_url)
    assert moved.status_code == 301 and state(moved) is None  # Wagtail's redirect, not the page


def test_deleting_a_page_forgets_the_cached_pages(site_tree):
    item = factories.NewsPageFactory(parent=site_tree.news, title="删除的新闻")
    get(Client(), item.url)
    item.delete()
    assert get(Client(), item.url).status_code == 404


def test_saving_a_draft_keeps_the_cache(site_tree, cached_home):
    item = factories.NewsPageFactory(parent=site_tree.news, title="草稿")
    version = page_cache.current_version()
    item.title = "草稿改了"
    item.save_revision()
    assert page_cache.current_version() == version


def test_a_change_to_what_pages_show_forgets_the_cached_pages(site_tree, cached_home):
    """Anything the portal's apps store: here a site setting and a member."""
    from portal.models import PortalSettings

    version = page_cache.current_version()
    settings_row = PortalSettings.for_site(site_tree.home.get_site())
    settings_row.save()
    assert page_cache.current_version() != version
    version = page_cache.current_version()
    factories.MemberFactory()
    assert page_cache.current_version() != version


def test_bookkeeping_writes_keep_the_cache(site_tree, cached_home):
    from volunteering.accounts.models import OneTimeCode  # noqa: F401 - a bookkeeping model

    version = page_cache.current_version()
    page_cache_receivers = __import__("portal.page_cache_receivers", fromlist=["is_watched"])
    assert not page_cache_receivers.is_watched(OneTimeCode)
    assert not page_cache_receivers.is_watched(Feedback.history.model)
    assert page_cache.current_version() == version


def test_serving_public_pages_does_not_bump_the_version(site_tree):
    """A miss must not write anything that forgets the cache, or no page would ever be hit."""
    item = factories.NewsPageFactory(parent=site_tree.news)
    urls = [site_tree.home.url, site_tree.news.url, item.url, site_tree.community.url]
    version = page_cache.current_version()
    for url in urls:
        get(Client(), url)
    assert page_cache.current_version() == version
    assert all(state(get(Client(), url)) == "hit" for url in urls)


def test_an_evicted_version_never_brings_old_entries_back(site_tree, cached_home, settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    cache.delete(page_cache.VERSION_KEY)
    assert state(get(Client(), cached_home)) == "miss"


def test_a_hit_from_the_process_layer_asks_the_shared_cache_nothing(
    cached_home, monkeypatch, settings
):
    settings.PAGE_CACHE_VERSION_SECONDS = 600  # the version read by the fixture's requests holds

    def unreachable(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, unreachable)
    assert state(get(Client(), cached_home)) == "hit"


def test_another_servers_bump_is_seen_within_the_version_interval(cached_home, settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 600
    cache.set(page_cache.VERSION_KEY, "bumped-elsewhere")  # as another app server's bump()
    assert state(get(Client(), cached_home)) == "hit"  # within the interval: the old version
    settings.PAGE_CACHE_VERSION_SECONDS = 0  # the interval has passed
    assert state(get(Client(), cached_home)) == "miss"


def test_entries_expire_after_page_cache_seconds(cached_home, monkeypatch, settings):
    later = time.time() + settings.PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert state(get(Client(), cached_home)) == "miss"


def test_off_by_setting(site_tree, settings):
    settings.PAGE_CACHE_ENABLED = False
    get(Client(), site_tree.home.url)
    assert state(get(Client(), site_tree.home.url)) is None


def test_a_flood_of_wrong_passwords_keeps_the_cache(site_tree, cached_home):
    version = page_cache.current_version()
    for _attempt in range(3):
        Client().post("/accounts/login/", {"username": "guess", "password": "wrong"})
    assert page_cache.current_version() == version


def test_new_figures_forget_the_cached_pages(site_tree, cached_home):
    """The figures' task stored new values: pages showing them are rendered again with them."""
    from volunteering.figures.freshness import figures_changed

    version = page_cache.current_version()
    figures_changed.send(sender=None, version=2)
    assert page_cache.current_version() != version


def test_the_sitemap_is_kept_until_a_publish(site_tree, django_assert_max_num_queries):
    """Thousands of addresses at the city's scale: rendered once per version, not per request."""
    first = Client().get("/sitemap.xml")
    page = Client().get("/sitemap-pages.xml")
    assert first.status_code == 200 and page.status_code == 200
    with django_assert_max_num_queries(0):
        again = Client().get("/sitemap.xml")
        page_again = Client().get("/sitemap-pages.xml")
    assert again.content == first.content and page_again.content == page.content
    item = factories.NewsPageFactory(parent=site_tree.news, title="新发布的新闻", slug="fresh-news")
    assert "fresh-news" in Client().get("/sitemap-pages.xml").content.decode()
    assert "fresh-news" in item.url
