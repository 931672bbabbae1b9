"""Channels (栏目) and news pages: where they may live, what they show, how they are listed.
The page-tree rules in Wagtail's assertions are in test_page_tree.py."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NEWS_PER_PAGE, NewsIndexPage, NewsPage
from portal.models import StandardPage
from tests import factories
from tests.news.helpers import add_news, at, visit
from volunteering.communities.models import CommunityIndexPage, CountyPage


def test_news_page_can_be_created_in_a_channel_and_nowhere_else(site_tree):
    assert NewsPage.can_create_at(site_tree.news)
    for parent in (site_tree.home, site_tree.communities, site_tree.county, site_tree.community):
        assert not NewsPage.can_create_at(parent), parent


def test_channel_can_be_created_under_home_or_a_community_only(site_tree):
    assert NewsIndexPage.can_create_at(site_tree.home)
    assert NewsIndexPage.can_create_at(site_tree.community)
    assert not NewsIndexPage.can_create_at(site_tree.county)
    assert not NewsIndexPage.can_create_at(site_tree.communities)
    assert not NewsIndexPage.can_create_at(site_tree.news)
    assert NewsIndexPage.can_exist_under(site_tree.community)
    assert not NewsIndexPage.can_exist_under(site_tree.county)
    for model in (CommunityIndexPage, CountyPage, StandardPage):
        assert model not in NewsIndexPage.allowed_parent_page_models()


def test_channel_renders(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    response = client.get(site_tree.news.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作动态" in html
    assert "社区报到工作扎实推进" in html
    assert "频道总排行" in html


def test_channel_in_a_community_renders(client, site_tree):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, title="社区动态")
    factories.NewsPageFactory(parent=channel, title="麒麟社区开展义诊")
    response = client.get(channel.url)
    assert response.status_code == 200
    assert "麒麟社区开展义诊" in response.content.decode()


def test_news_page_renders_all_its_metadata(client, report):
    response = visit(client, report)
    assert response.status_code == 200
    html = response.content.decode()
    assert "麒麟区在职党员进社区报到服务" in html
    assert "2014-07-17 01:58:29" in html
    assert "来源：国际神州网" in html
    assert "特约记者 张三 李四" in html
    assert "责编：王编辑" in html
    assert "党员报到" in html and "社区服务" in html
    assert "/news/?tag=%E5%85%9A%E5%91%98%E6%8A%A5%E5%88%B0" in html
    assert "在职党员到社区报到，认领服务岗位。" in html
    assert "全区在职党员陆续到居住地社区报到。" in html
    assert "麒麟社区" in html  # related community
    assert "今日浏览量" in html


def test_news_page_lists_several_kinds_of_byline(client, site_tree):
    from news.models import NewsByline

    page = factories.NewsPageFactory(
        parent=site_tree.news,
        bylines=[
            NewsByline(name="张三"),
            NewsByline(name="李四"),
            NewsByline(name="王五", role="摄影"),
        ],
    )
    html = visit(client, page).content.decode()
    assert "特约记者 张三 李四" in html
    assert "摄影 王五" in html


def _titles(response) -> list[str]:
    return [item.title for item in response.context["news_items"]]


def test_channel_lists_news_newest_first_and_paginates(client, site_tree):
    pages = add_news(site_tree.news, NEWS_PER_PAGE + 2)
    first = client.get(site_tree.news.url)
    assert _titles(first) == [p.title for p in reversed(pages)][:NEWS_PER_PAGE]
    assert "第 1 页，共 2 页" in first.content.decode()
    second = client.get(site_tree.news.url, {"page": 2})
    assert second.status_code == 200
    assert _titles(second) == [pages[1].title, pages[0].title]


BAD_PAGE_NUMBERS = ["0", "-1", "3", "99999999999999999999999", "abc", "1e3", "", "2.5"]


def test_bad_page_numbers_never_fail(client, site_tree):
    add_news(site_tree.news, NEWS_PER_PAGE + 2)
    for number in BAD_PAGE_NUMBERS:
        response = client.get(site_tree.news.url, {"page": number})
        assert response.status_code == 200, number
        assert response.context["news_items"], number
    # A control character is refused at the door, with a page saying why (portal.input_guard).
    response = client.get(site_tree.news.url, {"page": "\x00"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_channel_without_news_says_so(client, site_tree):
    response = client.get(site_tree.news.url, {"page": 5})
    assert response.status_code == 200
    assert "本栏目暂无新闻" in response.content.decode()


def test_tag_filter_lists_only_tagged_news_and_keeps_the_tag_when_paging(client, site_tree):
    tagged = add_news(site_tree.news, NEWS_PER_PAGE + 1)
    for page in tagged:
        page.tags.add("志愿服务")
        page.save()
    factories.NewsPageFactory(parent=site_tree.news, title="未加标签的新闻", date=at(2030, 1, 1))
    response = client.get(site_tree.news.url, {"tag": "志愿服务"})
    assert "未加标签的新闻" not in _titles(response)
    assert len(_titles(response)) == NEWS_PER_PAGE
    html = response.content.decode()
    assert "标签：志愿服务" in html
    assert "tag=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1&amp;page=2" in html
    second = client.get(site_tree.news.url, {"tag": "志愿服务", "page": 2})
    assert _titles(second) == [tagged[0].title]


def test_unknown_tag_lists_nothing(client, site_tree):
    add_news(site_tree.news, 2)
    response = client.get(site_tree.news.url, {"tag": "没有这个标签" * 50})
    assert response.status_code == 200
    assert _titles(response) == []


def test_channel_lists_neither_drafts_nor_other_channels_news(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="草稿新闻", live=False)
    other = factories.NewsIndexPageFactory(parent=site_tree.community, title="社区动态")
    factories.NewsPageFactory(parent=other, title="别的栏目的新闻")
    factories.NewsPageFactory(parent=site_tree.news, title="本栏目的新闻")
    assert _titles(client.get(site_tree.news.url)) == ["本栏目的新闻"]


def test_previous_is_older_and_next_is_newer_within_the_channel(client, site_tree):
    older, middle, newer = add_news(site_tree.news, 3)
    other = factories.NewsIndexPageFactory(parent=site_tree.community)
    add_news(other, 2, start=middle.date)  # same times, other channel: never a neighbour
    factories.NewsPageFactory(parent=site_tree.news, date=middle.date, live=False)  # draft

    response = visit(client, middle)
    assert response.context["previous_item"].pk == older.pk
    assert response.context["next_item"].pk == newer.pk
    html = response.content.decode()
    assert f'rel="prev" href="{older.url}"' in html
    assert f'rel="next" href="{newer.url}"' in html

    assert visit(client, older).context["previous_item"] is None
    assert visit(client, newer).context["next_item"] is None


def test_news_at_the_same_time_are_ordered_by_creation(client, site_tree):
    first, second, third = add_news(site_tree.news, 3, start=at(2024, 5, 1, 9, 0))
    for page in (first, second, third):
        NewsPage.objects.filter(pk=page.pk).update(date=at(2024, 5, 1, 9, 0))
    response = visit(client, second)
    assert response.context["previous_item"].pk == first.pk
    assert response.context["next_item"].pk == third.pk


def _queries(client, url: str) -> list[str]:
    client.get(url)  # warm the caches (site root paths, rankings) the way a busy site has them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_channel_queries_do_not_grow_with_the_number_of_news(client, site_tree, report):
    add_news(site_tree.news, NEWS_PER_PAGE, tags=None)
    before = _queries(client, site_tree.news.url)
    add_news(site_tree.news, 200)
    after = _queries(client, site_tree.news.url)
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 15, "\n".join(after)


def test_news_page_queries_do_not_grow_with_the_number_of_news(client, site_tree, report):
    add_news(site_tree.news, 3)
    before = _queries(client, report.url)
    add_news(site_tree.news, 200)
    after = _queries(client, report.url)
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 15, "\n".join(after)  # issue 11


def test_a_community_channel_costs_the_same_with_the_city_s_news_around_it(client, site_tree):
    channel = factories.NewsIndexPageFactory(parent=site_tree.community, title="社区动态")
    add_news(channel, 3)
    before = _queries(client, channel.url)
    add_news(site_tree.news, 200)
    add_news(channel, NEWS_PER_PAGE)
    after = _queries(client, channel.url)
    assert len(after) == len(before) <= 15, "\n".join(after)


def test_the_channel_s_number_of_pages_follows_what_is_published(client, site_tree):
    """The count behind 第 n 页，共 N 页 is cached until the page tree changes."""
    add_news(site_tree.news, NEWS_PER_PAGE)
    assert "共 2 页" not in client.get(site_tree.news.url).content.decode()
    extra = add_news(site_tree.news, 1, publish=True)[0]
    html = client.get(site_tree.news.url).content.decode()
    assert "第 1 页，共 2 页" in html
    extra.unpublish()
    assert "共 2 页" not in client.get(site_tree.news.url).content.decode()
    assert client.get(site_tree.news.url, {"page": 2}).context["page_obj"].number == 1


def test_editing_a_news_page_in_the_admin_keeps_the_seconds_of_its_date(client, site_tree):
    from django.contrib.auth import get_user_model

    from tests import factories

    page = factories.NewsPageFactory(parent=site_tree.news, title="秒不能丢")
    page.date = page.date.replace(second=29)
    page.save_revision().publish()
    get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.login(username="root", password="pw")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    from django.utils import timezone

    local = timezone.localtime(page.date)
    assert local.strftime("%Y-%m-%d %H:%M:29") in html
