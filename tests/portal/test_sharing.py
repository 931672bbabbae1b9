import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from portal.models import PortalSettings
from portal.sharing import SHARE_DESCRIPTION_CHARS
from tests import factories

PAGE_TYPES = [
    "HomePage",
    "StandardPage",
    "NewsIndexPage",
    "NewsPage",
    "CommunityIndexPage",
    "CountyPage",
    "CommunityPage",
    "BrandProjectPage",
]
WITH_OWN_IMAGE = {"NewsPage", "CommunityPage", "BrandProjectPage"}


@pytest.fixture
def pages(site_tree):
    """One live page of every type, keyed by class name."""
    news = factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    return {
        "HomePage": site_tree.home,
        "StandardPage": factories.StandardPageFactory(parent=site_tree.home, title="关于本平台"),
        "NewsIndexPage": site_tree.news,
        "NewsPage": news,
        "CommunityIndexPage": site_tree.communities,
        "CountyPage": site_tree.county,
        "CommunityPage": site_tree.community,
        "BrandProjectPage": factories.BrandProjectPageFactory(
            parent=site_tree.community, title="小卡片装载大服务"
        ),
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # image files and renditions stay out of the checkout


@pytest.fixture
def image(db):
    return Image.objects.create(title="分享图", file=get_test_image_file(size=(1200, 800)))


def share_tags(client, page) -> dict[str, str]:
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    tags = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            tags[key] = meta.get("content", "")
    return tags


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_has_description_and_open_graph_tags(client, pages, page_type):
    page = pages[page_type]
    tags = share_tags(client, page)
    assert tags["description"].strip()
    assert tags["og:description"] == tags["description"]
    assert tags["og:title"] == page.title
    assert tags["og:url"] == page.full_url
    assert tags["og:url"].startswith("http")
    assert tags["og:type"] == ("article" if page_type == "NewsPage" else "website")
    assert tags["og:site_name"] == "在职党员进社区服务平台"
    assert "og:image" not in tags  # neither the page nor the site has an image


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_shares_the_site_image_when_it_has_none(client, pages, page_type, image):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.share_image = image
    settings.save()
    tags = share_tags(client, pages[page_type])
    assert tags["og:image"].startswith("http://testserver/")
    assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "630"


@pytest.mark.parametrize("page_type", sorted(WITH_OWN_IMAGE))
def test_a_page_with_its_own_image_shares_that_image(client, pages, page_type, image):
    page = pages[page_type]
    page.image = image
    page.save_revision().publish()
    other = Image.objects.create(title="默认图", file=get_test_image_file())
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.share_image = other
    settings.save()
    tags = share_tags(client, page)
    rendition = image.get_rendition("fill-1200x630")
    assert tags["og:image"] == f"http://testserver{rendition.url}"


def test_page_descriptions_come_from_their_own_words(client, pages):
    pages["BrandProjectPage"].summary = "党员把联系卡送到居民手中。"
    pages["BrandProjectPage"].save_revision().publish()
    tags = share_tags(client, pages["BrandProjectPage"])
    assert tags["description"] == "党员把联系卡送到居民手中。"
    assert share_tags(client, pages["NewsPage"])["description"] == "导语"


def test_search_description_wins_and_descriptions_are_kept_short(client, pages):
    page = pages["StandardPage"]
    page.search_description = "搜" * 300
    page.save_revision().publish()
    description = share_tags(client, page)["description"]
    assert description.startswith("搜搜")
    assert len(description) <= SHARE_DESCRIPTION_CHARS


def test_a_page_without_words_of_its_own_falls_back_to_the_site_tagline(client, pages):
    assert pages["CountyPage"].intro == ""
    assert share_tags(client, pages["CountyPage"])["description"] == (
        "工作在单位、活动在社区、奉献双岗位"
    )


def test_news_is_shared_as_an_article_with_its_date(client, pages):
    tags = share_tags(client, pages["NewsPage"])
    assert tags["og:type"] == "article"
    published = timezone.localtime(pages["NewsPage"].date).isoformat()
    assert tags["article:published_time"] == published


def test_share_tags_are_escaped(client, pages):
    page = pages["StandardPage"]
    page.title = '关于"平台"<script>'
    page.save_revision().publish()
    response = client.get(page.url)
    assert b'content="\xe5\x85\xb3\xe4\xba\x8e&quot;' in response.content
    assert b'"<script>' not in response.content


def test_share_descriptions_show_rich_texts_characters_escaped_once(client, pages):
    # A description taken from rich text, which stores "&" and "<" as entities: decoded, then
    # escaped once by the template (it showed "&amp;amp;" in the page's source, "&amp;" in WeChat).
    page = pages["NewsPage"]
    page.search_description, page.lead = "", ""
    page.body = [("paragraph", "<p>党建&amp;服务 &lt;第一期&gt;</p>")]
    page.save_revision().publish()
    assert share_tags(client, page)["og:description"] == "党建&服务 <第一期>"


def test_a_missing_image_file_does_not_break_the_page(client, pages, image):
    image.file.storage.delete(image.file.name)
    page = pages["BrandProjectPage"]
    page.image = image
    page.save_revision().publish()
    tags = share_tags(client, page)
    assert "og:image" not in tags


def test_pages_read_the_site_settings_from_the_cache_until_they_change(client, site_tree, image):
    """Every page shows the settings (header, footer, share card): read once, then from the
    shared cache, with the share image in the same row; a save shows on the next page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    row.share_image = image
    row.save()
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(site_tree.news.url).status_code == 200
    assert not [q for q in captured.captured_queries if "portal_portalsettings" in q["sql"]]

    row.site_title = "曲靖市在职党员服务平台"
    row.save()
    assert "曲靖市在职党员服务平台" in client.get(site_tree.news.url).content.decode()

    image.delete()  # the row loses its share image without a save of its own
    assert "og:image" not in share_tags(client, site_tree.news)
