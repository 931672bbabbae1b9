import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from portal.sections import Section
from tests import factories
from tests.headings import assert_no_skipped_heading_levels
from volunteering.communities.models import CommunityDutyStaff, CommunityPage
from volunteering.communities.selectors import COMMUNITY_PAGE_SECTIONS


@pytest.fixture
def community(site_tree):
    # Overrides the conftest's `community`: with every detail of its window and duty staff
    # filled in and published, which these page tests look for.
    page = site_tree.community
    page.party_organisation = "麒麟社区党委"
    page.street_or_town = "南宁街道"
    page.window_place = "社区服务中心一楼报到窗口"
    page.window_hours = "周一至周五 9:00-17:00"
    page.address = "麒麟区南宁北路 12 号"
    page.contact_phone = "0874-3112345"
    page.how_to_report = "携带党员证明到窗口登记。"
    page.duty_staff = [
        CommunityDutyStaff(name="王芳", role="社区党委书记", duty_time="周一、周三"),
        CommunityDutyStaff(name="李强", role="专职委员", duty_time="周二、周四"),
    ]
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


def get_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_community_page_shows_its_organisation_window_staff_and_contact(client, community):
    html = get_html(client, community)
    for text in (
        "麒麟社区党委",
        "南宁街道",
        "麒麟区",
        "专门窗口和接待室",
        "社区服务中心一楼报到窗口",
        "周一至周五 9:00-17:00",
        "王芳",
        "社区党委书记",
        "周一、周三",
        "李强",
        "携带党员证明到窗口登记。",
        "麒麟区南宁北路 12 号",
        'href="tel:08743112345"',
        "0874-3112345",
    ):
        assert text in html, text


def test_community_page_lists_its_live_brand_projects_only(client, community, site_tree):
    factories.BrandProjectPageFactory(parent=community, title="小卡片装载大服务", summary="爱心卡")
    factories.BrandProjectPageFactory(parent=community, title="草稿品牌", live=False)
    factories.BrandProjectPageFactory(parent=site_tree.other_community, title="别的社区的品牌")
    html = get_html(client, community)
    assert "小卡片装载大服务" in html
    assert "草稿品牌" not in html
    assert "别的社区的品牌" not in html


def test_community_page_shows_its_own_news_and_news_tagged_with_it(client, community, site_tree):
    channel = factories.NewsIndexPageFactory(parent=community, title="社区动态栏目")
    factories.NewsPageFactory(parent=channel, title="社区召开民情恳谈会")
    tagged = factories.NewsPageFactory(parent=site_tree.news, title="在职党员到麒麟社区报到")
    tagged.related_communities.set([community])
    tagged.save_revision().publish()
    factories.NewsPageFactory(parent=site_tree.news, title="与本社区无关的新闻")
    html = get_html(client, community)
    assert "社区召开民情恳谈会" in html
    assert "在职党员到麒麟社区报到" in html
    assert "与本社区无关的新闻" not in html
    assert f'href="{channel.url}"' in html  # a link to the community's own channel


@pytest.fixture
def notice_template(settings, tmp_path):
    """A template of a section another app would add: notice.html in a templates directory."""
    (tmp_path / "notice.html").write_text('<p class="test-notice">{{ notice }}</p>')
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    settings.TEMPLATES = [engine]
    return "notice.html"


def test_other_apps_add_sections_to_a_community_page_through_the_hook(
    client, community, notice_template
):
    def volunteer_notice(page, request):
        assert request.path == community.url
        return Section(notice_template, {"notice": f"{page.title}招募志愿者"}, order=1)

    with hooks.register_temporarily(COMMUNITY_PAGE_SECTIONS, volunteer_notice):
        html = get_html(client, community)
    notice = html.index('<p class="test-notice">麒麟社区招募志愿者</p>')
    assert html.index('id="community-news-heading"') > notice  # order 1: before the news (100)
    assert "招募志愿者" not in get_html(client, community)  # gone with the hook


def test_an_office_phone_with_an_extension_links_its_number_and_keeps_the_rest(client, community):
    community.contact_phone = "0874-3112345 转 8001（工作日）"
    community.save_revision().publish()
    html = get_html(client, community)
    assert '<a href="tel:08743112345">0874-3112345</a> 转 8001（工作日）' in html
    assert community.contact_phone_href == ""


def test_phone_numbers_in_a_community_pages_texts_are_tap_to_call(client, community):
    community.intro = "有事请找网格员张姐 139 0874 1003。"
    community.window_hours = "工作日 9:00–17:00，值班电话（0874）3112346"
    community.save_revision().publish()
    html = get_html(client, community)
    assert '<a href="tel:13908741003">139 0874 1003</a>' in html
    assert '<a href="tel:08743112346">（0874）3112346</a>' in html


@pytest.mark.parametrize(
    ("phone", "href"),
    [("0874-3112345", "tel:08743112345"), ("+86 874 311 2345", "tel:+868743112345"), ("", "")],
)
def test_dialable_office_phones_get_a_tel_link(db, phone, href):
    # `db`: a page's constructor reads its content type, from the cache only when an earlier
    # test of the same worker filled it.
    assert CommunityPage(contact_phone=phone).contact_phone_href == href


def test_community_without_window_details_says_whom_to_ask(client, site_tree):
    page = factories.CommunityPageFactory(
        parent=site_tree.county, slug="bare", window_place="", window_hours=""
    )
    html = get_html(client, page)
    assert "窗口信息暂未公布" in html
    assert "暂无联系方式。" in html


def test_community_page_queries_do_not_grow_with_its_content(client, community, site_tree):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            get_html(client, community)
        return len(ctx.captured_queries)

    channel = factories.NewsIndexPageFactory(parent=community)
    factories.NewsPageFactory(parent=channel)
    factories.BrandProjectPageFactory(parent=community)
    count()  # warm the per-process caches (site root paths, settings)
    before = count()
    for n in range(4):
        factories.NewsPageFactory(parent=channel)
        factories.BrandProjectPageFactory(parent=community)
        CommunityDutyStaff.objects.create(page=community, name=f"值班员{n}")
    count()  # the first page after a publish reads the tree's cached pieces again
    assert count() == before <= 15


def test_community_page_queries_do_not_grow_with_the_city(client, community, site_tree):
    """Issue 11: at most 15 queries, the same with two communities as with a city of them, with
    its service menu, teams, activities, notices and news."""
    from django.core.cache import cache

    def count():
        get_html(client, community)  # the figures are recomputed after a change; then cached
        with CaptureQueriesContext(connection) as ctx:
            get_html(client, community)
        return len(ctx.captured_queries)

    def add_content(page):
        channel = factories.NewsIndexPageFactory(parent=page)
        factories.NewsPageFactory(parent=channel, related_communities=[community])
        factories.BrandProjectPageFactory(parent=page)
        factories.ActivityPageFactory(parent=page)
        factories.NeedFactory(community=page, skills=[factories.SkillFactory()])
        factories.PostFactory(community=page)
        factories.TeamFactory(community=page)

    add_content(community)
    before = count()
    for _county in range(2):
        county = factories.CountyPageFactory(parent=site_tree.communities)
        for page in factories.CommunityPageFactory.create_batch(3, parent=county):
            add_content(page)
    add_content(community)
    cache.clear()
    assert count() == before <= 15


def test_county_page_lists_its_live_communities(client, site_tree):
    factories.CommunityPageFactory(parent=site_tree.county, title="未发布社区", live=False)
    html = get_html(client, site_tree.county)
    assert "麒麟社区" in html and "方城社区" in html
    assert "未发布社区" not in html


def test_community_index_lists_counties_with_their_numbers_of_communities(client, site_tree):
    """Each county with its number of live communities, linking to its page, which lists them:
    the index stays a few links at city scale, not one per community."""
    other_county = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    factories.CommunityPageFactory(parent=other_county, title="西平社区")
    factories.CommunityPageFactory(parent=other_county, title="未发布社区", live=False)
    html = get_html(client, site_tree.communities)
    assert f'href="{site_tree.county.url}"' in html and "麒麟区" in html and "2 个社区" in html
    assert f'href="{other_county.url}"' in html and "沾益区" in html and "1 个社区" in html
    for community in (site_tree.community, site_tree.other_community):
        assert f'href="{community.url}"' not in html
    assert "西平社区" in get_html(client, other_county)


def test_community_index_and_home_page_skip_no_heading_level(client, site_tree):
    assert_no_skipped_heading_levels(get_html(client, site_tree.communities))
    assert_no_skipped_heading_levels(get_html(client, site_tree.home))


def test_community_index_queries_do_not_grow_with_communities(client, site_tree):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            html = get_html(client, site_tree.communities)
        return len(ctx.captured_queries), html.count('class="county-counts__name"')

    get_html(client, site_tree.communities)  # warm the per-process caches
    before = queries()
    for _county in range(3):
        county = factories.CountyPageFactory(parent=site_tree.communities)
        factories.CommunityPageFactory.create_batch(4, parent=county)
    queries()  # the first page after a publish counts the communities again (then cached)
    after = queries()
    assert after[0] == before[0] <= 15
    assert (before[1], after[1]) == (1, 4)


def test_county_counts_read_one_range_of_the_path_index(client, site_tree):
    """Counted per county by a correlated `path LIKE county.path || '%'`, the counts read the
    page table once per county (12-16 ms at city scale, after every publish): the communities
    are now counted in one query over the range of paths below the index, by parent."""
    from volunteering.communities.selectors import _counties_with_community_counts

    with CaptureQueriesContext(connection) as captured:
        counties = _counties_with_community_counts(site_tree.communities)
    assert [(c.pk, c.community_count) for c in counties] == [(site_tree.county.pk, 2)]
    counts = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert len(counts) == 1 and " LIKE " not in counts[0] and "BETWEEN" in counts[0], counts
    if connection.vendor == "sqlite":  # PostgreSQL plans a test's tiny tables by their size
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {counts[0]}")
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert "(path>? AND path<?)" in plan, plan


def test_community_share_description_falls_back_to_its_facts(community):
    assert community.intro == ""
    description = community.get_share_description()
    assert "南宁街道" in description
    assert "社区服务中心一楼报到窗口" in description
    assert "0874-3112345" in description


def test_community_editor_renders_with_chinese_panels(admin_client, community):
    response = admin_client.get(f"/admin/pages/{community.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("基本信息", "专门窗口和接待室", "值班人员", "联系方式", "王芳"):
        assert label in html
