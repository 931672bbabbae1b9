"""One public address (PORTAL_BASE_URL) in every link that leaves the site (issue 10: links in
emails and QR codes said 127.0.0.1:8000 or http://localhost/ whatever the server ran on):
emails, QR codes, the sitemap, the news feeds, calendars and the API, whatever host the request
came in at; `migrate` and `load_demo` give Wagtail's default Site the same hostname and port."""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import Site

from portal import addresses, qr, views
from tests import factories
from tests.news.test_sitemap import index_locations, sitemap_urls
from volunteering.notifications import notification_send
from volunteering.signups.services import signup_create

PUBLIC = "https://portal.example.gov.cn"
# The address the server is reached at in these tests: not the public one.
INSIDE = {"HTTP_HOST": "10.0.0.5:8000"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def public_address(settings, site_tree):
    settings.PORTAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC + "/"
    addresses.sync_default_site()  # what every migrate does
    return PUBLIC


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(parent=site_tree.community, title="法律咨询进社区")


def test_absolute_url_puts_paths_on_the_public_address(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn/"
    assert addresses.base_url() == PUBLIC
    assert addresses.absolute_url("/my/") == PUBLIC + "/my/"
    assert addresses.absolute_url("my/") == PUBLIC + "/my/"
    assert addresses.absolute_url("https://other.example/x/") == "https://other.example/x/"
    assert addresses.site_hostname_and_port() == ("portal.example.gov.cn", 443)
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8103"
    assert addresses.site_hostname_and_port() == ("127.0.0.1", 8103)


def test_migrate_gives_the_default_site_the_public_address(settings, db):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8103"
    call_command("migrate", verbosity=0, interactive=False)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8103)
    assert site.root_url == "http://127.0.0.1:8103"


def test_the_sync_leaves_a_site_alone_that_another_holds_the_address_of(settings, site_tree):
    settings.PORTAL_BASE_URL = PUBLIC
    Site.objects.create(hostname="portal.example.gov.cn", port=443, root_page=site_tree.news)
    assert addresses.sync_default_site() is False
    assert Site.objects.get(is_default_site=True).hostname == "testserver"


def test_load_demo_keeps_the_site_on_the_public_address(settings, site_tree):
    from portal.demo import pages

    settings.PORTAL_BASE_URL = "http://127.0.0.1:8103"
    site = pages._default_site(site_tree.home)
    assert (site.hostname, site.port) == ("127.0.0.1", 8103)


def test_email_links_use_the_public_address(public_address, activity):
    member = factories.MemberFactory(real_name="欧阳娜娜")
    signup, _ = signup_create(activity=activity, member=member)
    assert notification_send(
        kind="signup_approved", model_label=signup._meta.label, pk=signup.pk, extra={}
    )
    [message] = mail.outbox
    assert f"{PUBLIC}{activity.url}" in message.body
    assert "testserver" not in message.body and "localhost" not in message.body


def test_a_pages_qr_code_encodes_the_public_address(public_address, client, site_tree):
    brand = factories.BrandProjectPageFactory(parent=site_tree.community, slug="small-cards")
    with mock.patch.object(views, "qr_svg", wraps=qr.qr_svg) as qr_svg:
        response = client.get(f"/qr/{brand.pk}.svg", **INSIDE)
    assert response.status_code == 200
    url = qr_svg.call_args.args[0]
    assert url == f"{PUBLIC}/communities/qilin/qilin-community/small-cards/"
    assert url == brand.full_url  # Wagtail's own page URL agrees: the Site follows the setting


def test_the_check_in_qr_code_encodes_the_public_address(public_address, client, activity):
    staff = factories.make_staff(activity.community.specific, username="qilin-staff")
    client.force_login(staff)
    response = client.get(activity.url + "checkin-qr/", **INSIDE)
    assert response.status_code == 200
    assert response.context["checkin_url"].startswith(f"{PUBLIC}{activity.url}checkin/?code=")


def test_the_sitemap_lists_pages_on_the_public_address(public_address, client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="新闻")
    index = index_locations(client, **INSIDE)
    locations = [*index, *sitemap_urls(client, **INSIDE)]
    assert len(locations) > 3
    assert all(loc.startswith(PUBLIC + "/") for loc in locations), locations


@pytest.mark.parametrize("feed", ["/feeds/news/rss/", "/feeds/news/atom/"])
def test_news_feeds_link_to_the_public_address(public_address, client, site_tree, feed):
    news = factories.NewsPageFactory(parent=site_tree.news, title="新闻")
    response = client.get(feed, **INSIDE)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{PUBLIC}{news.url}" in body
    assert "10.0.0.5" not in body and "testserver" not in body


def test_calendars_link_to_the_public_address(public_address, client, activity):
    response = client.get(f"/calendar/community/{activity.community.pk}.ics", **INSIDE)
    body = response.content.decode().replace("\r\n ", "")  # unfold iCalendar's long lines
    assert f"URL:{PUBLIC}{activity.url}" in body
    assert "@portal.example.gov.cn" in body  # the events' UIDs
    assert "10.0.0.5" not in body


def test_the_api_gives_page_urls_on_the_public_address(public_address, client, activity):
    response = client.get("/api/v1/communities", **INSIDE)
    assert response.status_code == 200
    urls = [community["url"] for community in response.json()["items"]]
    assert urls and all(url.startswith(PUBLIC + "/") for url in urls), urls
