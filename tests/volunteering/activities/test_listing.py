"""The city-wide activity listing with its filters, its month calendar, and the upcoming
activities on each community page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import HomePage
from tests import factories
from tests.headings import assert_no_skipped_heading_levels
from volunteering.activities.filters import DATE_RANGE_IGNORED, FILTER_IGNORED, MONTH_IGNORED
from volunteering.activities.models import ActivityIndexPage, ActivityPage
from volunteering.activities.selectors import CALENDAR_DAY_LIMIT, COMMUNITY_ACTIVITIES_LIMIT
from volunteering.signups.services import signup_create


def local(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def in_days(days, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_activity(parent, title, starts_at, **kwargs):
    return factories.ActivityPageFactory(
        parent=parent,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def index(site_tree):
    return factories.ActivityIndexPageFactory(parent=site_tree.home, show_in_menus=True)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Page type --------------------------------------------------------------------------


def test_activity_index_can_be_created_under_the_home_page_only_once(site_tree, index):
    assert not ActivityIndexPage.can_create_at(site_tree.home)  # max_count = 1
    assert not ActivityIndexPage.can_create_at(site_tree.community)
    assert "volunteering.ActivityIndexPage" in HomePage.subpage_types
    assert ActivityIndexPage.allowed_parent_page_models() == [HomePage]


def test_activity_index_is_allowed_under_home_before_one_exists(site_tree):
    assert ActivityIndexPage.can_create_at(site_tree.home)
    assert not ActivityIndexPage.can_create_at(site_tree.county)


# --- Listing ------------------------------------------------------------------------------


def test_listing_shows_coming_live_activities_city_wide_soonest_first(client, site_tree, index):
    make_activity(site_tree.other_community, "方城社区义诊", in_days(3))
    make_activity(site_tree.community, "麒麟社区法律咨询", in_days(1))
    make_activity(site_tree.community, "已经结束的活动", in_days(-3))
    make_activity(site_tree.community, "草稿活动", in_days(2), live=False)
    html = html_of(client, index.url)
    assert html.index("麒麟社区法律咨询") < html.index("方城社区义诊")
    assert "已经结束的活动" not in html and "草稿活动" not in html
    assert "方城社区" in html  # each activity names its community
    assert "剩余 5 个名额" in html


def test_listing_skips_no_heading_level(client, site_tree, index):
    make_activity(site_tree.community, "敬老院义剪", in_days(2))
    assert_no_skipped_heading_levels(html_of(client, index.url))


def test_listing_filters_by_community_and_by_county(client, site_tree, index):
    make_activity(site_tree.community, "麒麟社区的活动", in_days(1))
    make_activity(site_tree.other_community, "方城社区的活动", in_days(1))
    county = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    elsewhere = factories.CommunityPageFactory(parent=county, title="西平社区")
    make_activity(elsewhere, "沾益区的活动", in_days(1))

    html = html_of(client, f"{index.url}?community={site_tree.community.pk}")
    assert "麒麟社区的活动" in html
    assert "方城社区的活动" not in html and "沾益区的活动" not in html

    html = html_of(client, f"{index.url}?county={site_tree.county.pk}")
    assert "麒麟社区的活动" in html and "方城社区的活动" in html
    assert "沾益区的活动" not in html


def test_listing_filters_by_theme_and_skill(client, site_tree, index):
    theme = factories.ThemeFactory(title="党旗在社区飘扬")
    law = factories.SkillFactory(name="法律咨询")
    themed = make_activity(site_tree.community, "主题活动之一", in_days(1), theme=theme)
    skilled = make_activity(site_tree.community, "需要法律特长", in_days(1))
    skilled.skills.set([law])
    skilled.save_revision().publish()
    make_activity(site_tree.community, "普通活动", in_days(1))

    html = html_of(client, f"{index.url}?theme={theme.pk}")
    assert themed.title in html and "普通活动" not in html and skilled.title not in html
    html = html_of(client, f"{index.url}?skill={law.pk}")
    assert skilled.title in html and "普通活动" not in html and themed.title not in html


def test_listing_filters_by_dates_including_past_activities(client, site_tree, index):
    make_activity(site_tree.community, "七月一日的活动", local(2014, 7, 1))
    make_activity(site_tree.community, "七月十七日的活动", local(2014, 7, 17))
    make_activity(site_tree.community, "八月的活动", local(2014, 8, 2))
    html = html_of(client, f"{index.url}?date_from=2014-07-01&date_to=2014-07-17")
    assert "七月一日的活动" in html and "七月十七日的活动" in html
    assert "八月的活动" not in html


@pytest.mark.parametrize(
    "query, label",
    [
        ("community=abc", "社区"),
        ("community=999999", "社区"),
        ("county=-1", "县（市、区）"),
        ("skill=x", "所需特长"),
        ("theme=0", "主题活动"),
        ("date_from=2014-13-45", "开始日期"),
        ("date_to=tomorrow", "结束日期"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(client, site_tree, index, query, label):
    make_activity(site_tree.community, "照常列出的活动", in_days(1))
    html = html_of(client, f"{index.url}?{query}")
    assert str(FILTER_IGNORED % {"label": label}) in html
    assert "照常列出的活动" in html


def test_an_end_date_before_the_start_date_is_ignored_with_a_message(client, site_tree, index):
    make_activity(site_tree.community, "八月的活动", local(2014, 8, 2))
    html = html_of(client, f"{index.url}?date_from=2014-08-01&date_to=2014-07-01")
    assert str(DATE_RANGE_IGNORED) in html
    assert "八月的活动" in html


def test_listing_is_paginated_and_pages_keep_the_filters(client, site_tree, index):
    for n in range(ActivityIndexPage.PER_PAGE + 2):
        make_activity(
            site_tree.community,
            f"分页活动{n:02d}",
            in_days(1, hour=8) + datetime.timedelta(minutes=n),
        )
    query = f"community={site_tree.community.pk}"
    html = html_of(client, f"{index.url}?{query}")
    assert "分页活动00" in html and f"分页活动{ActivityIndexPage.PER_PAGE:02d}" not in html
    assert f"?{query}&amp;page=2" in html
    html = html_of(client, f"{index.url}?{query}&page=2")
    assert f"分页活动{ActivityIndexPage.PER_PAGE + 1:02d}" in html
    assert client.get(f"{index.url}?page=zzz").status_code == 200
    assert client.get(f"{index.url}?page=999").status_code == 200


def test_listing_shows_a_full_activity_with_its_waitlist(client, site_tree, index):
    activity = make_activity(site_tree.community, "很快报满的活动", in_days(1), capacity=1)
    for member in factories.MemberFactory.create_batch(3):
        signup_create(activity=activity, member=member)
    html = html_of(client, index.url)
    assert "名额已满" in html and "候补 2 人" in html


def test_listing_queries_do_not_grow_with_activities_and_signups(client, site_tree, index):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, f"{index.url}?county={site_tree.county.pk}")
        return len(ctx.captured_queries)

    theme = factories.ThemeFactory()
    make_activity(site_tree.community, "第一个活动", in_days(1), theme=theme)
    count()  # warm the per-process caches
    before = count()
    for n in range(5):
        community = site_tree.community if n % 2 else site_tree.other_community
        activity = make_activity(community, f"更多活动{n}", in_days(n + 1), theme=theme)
        activity.skills.set([factories.SkillFactory(name=f"特长{n}")])
        activity.save_revision().publish()
        for member in factories.MemberFactory.create_batch(2):
            signup_create(activity=activity, member=member)
    count()  # the first page after a publish reads the cached menu again (portal.page_tree_cache)
    assert count() == before


def test_a_member_sees_their_own_state_on_each_listed_activity(client, site_tree, index, member):
    full = make_activity(site_tree.community, "满员活动", in_days(1), capacity=1)
    signup_create(activity=full, member=factories.MemberFactory())
    signup_create(activity=full, member=member)  # waitlisted
    joined = make_activity(site_tree.community, "已报名活动", in_days(2))
    signup_create(activity=joined, member=member)
    now = timezone.now()
    attended = make_activity(site_tree.community, "已签到活动", now - datetime.timedelta(hours=1))
    factories.SignUpFactory(activity=attended, member=member, state="attended")
    make_activity(site_tree.community, "未报名活动", in_days(3))
    client.force_login(member.user)

    for html in (html_of(client, index.url), html_of(client, site_tree.community.url)):
        for title, label in (
            ("满员活动", "候补"),
            ("已报名活动", "已报名"),
            ("已签到活动", "已签到"),
        ):
            card = html[html.index(f">{title}</a>") :]
            card = card[: card.index("</li>")]
            assert f'--{label_state(label)}">{label}</span>' in card, (title, card)
        card = html[html.index(">未报名活动</a>") :]
        assert "state-badge--" not in card[: card.index("</li>")]

    client.logout()
    assert "state-badge--approved" not in html_of(client, index.url)


def label_state(label):
    return {"候补": "waitlisted", "已报名": "approved", "已签到": "attended"}[label]


def test_a_members_own_states_cost_the_listing_no_query_per_row(client, site_tree, index, member):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, url)
        return len(ctx.captured_queries)

    make_activity(site_tree.community, "第一个活动", in_days(1))
    client.force_login(member.user)
    urls = (index.url, site_tree.community.url)
    count(urls[0]), count(urls[1])  # warm the per-process caches
    before = [count(url) for url in urls]
    for n in range(4):
        activity = make_activity(site_tree.community, f"更多活动{n}", in_days(n + 1))
        signup_create(activity=activity, member=member)
    [count(url) for url in urls]  # new sign-ups invalidate the cached figures: warm them again
    assert [count(url) for url in urls] == before
    assert html_of(client, index.url).count(">已报名</span>") == 4


# --- Month calendar -----------------------------------------------------------------------


def test_calendar_shows_the_month_with_each_activity_on_its_day(client, site_tree, index):
    make_activity(site_tree.community, "七月十七日的活动", local(2014, 7, 17, 14))
    make_activity(site_tree.other_community, "方城社区七月的活动", local(2014, 7, 20))
    make_activity(site_tree.community, "八月的活动", local(2014, 8, 20))
    html = html_of(client, f"{index.url}calendar/?month=2014-07")
    assert "<table" in html and "2014年7月" in html
    assert "七月十七日的活动" in html and "方城社区七月的活动" in html
    assert "八月的活动" not in html
    assert "14:00" in html
    assert "month=2014-06" in html and "month=2014-08" in html


def test_calendar_of_one_community(client, site_tree, index):
    make_activity(site_tree.community, "麒麟社区七月的活动", local(2014, 7, 17))
    make_activity(site_tree.other_community, "方城社区七月的活动", local(2014, 7, 20))
    html = html_of(client, f"{index.url}calendar/?month=2014-07&community={site_tree.community.pk}")
    assert "麒麟社区七月的活动" in html and "方城社区七月的活动" not in html
    assert f"community={site_tree.community.pk}&amp;month=2014-08" in html
    assert f"/calendar/community/{site_tree.community.pk}.ics" in html


@pytest.mark.parametrize("month", ["2014-13", "abc", "1900-01", "2014-7-1"])
def test_calendar_with_a_bad_month_shows_this_month_with_a_message(client, index, month):
    html = html_of(client, f"{index.url}calendar/?month={month}")
    assert str(MONTH_IGNORED) in html
    assert timezone.localdate().strftime("%Y年%-m月") in html


def test_calendar_lists_an_activity_spanning_days_on_each_day(client, site_tree, index):
    ActivityPage.objects.all().delete()
    factories.ActivityPageFactory(
        parent=site_tree.community,
        title="三天的集中服务",
        starts_at=local(2014, 7, 17),
        ends_at=local(2014, 7, 19, 17),
    )
    html = html_of(client, f"{index.url}calendar/?month=2014-07")
    assert html.count("三天的集中服务</a>") == 3


def test_calendar_queries_do_not_grow_with_activities(client, site_tree, index):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, f"{index.url}calendar/?month=2014-07")
        return len(ctx.captured_queries)

    make_activity(site_tree.community, "第一个", local(2014, 7, 1))
    count()
    before = count()
    for day in range(2, 12):
        make_activity(site_tree.other_community, f"活动{day}", local(2014, 7, day))
    count()  # the first page after a publish reads the cached menu again (portal.page_tree_cache)
    assert count() == before


# --- Community pages ----------------------------------------------------------------------


def test_community_page_shows_its_own_upcoming_activities_and_links(client, site_tree, index):
    make_activity(site_tree.community, "本社区的活动", in_days(2))
    make_activity(site_tree.community, "本社区过去的活动", in_days(-2))
    make_activity(site_tree.other_community, "别的社区的活动", in_days(2))
    html = html_of(client, site_tree.community.url)
    assert "近期活动" in html
    assert "本社区的活动" in html
    assert "本社区过去的活动" not in html and "别的社区的活动" not in html
    assert f"{index.url}?community={site_tree.community.pk}" in html
    assert f"{index.url}calendar/?community={site_tree.community.pk}" in html
    assert f"/calendar/community/{site_tree.community.pk}.ics" in html


def test_community_page_lists_a_limited_number_of_activities(client, site_tree):
    for n in range(COMMUNITY_ACTIVITIES_LIMIT + 2):
        make_activity(site_tree.community, f"社区活动{n:02d}", in_days(1 + n))
    html = html_of(client, site_tree.community.url)
    assert f"社区活动{COMMUNITY_ACTIVITIES_LIMIT - 1:02d}" in html
    assert f"社区活动{COMMUNITY_ACTIVITIES_LIMIT:02d}" not in html


def test_community_page_queries_do_not_grow_with_activities(client, site_tree, index):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, site_tree.community.url)
        return len(ctx.captured_queries)

    make_activity(site_tree.community, "第一个活动", in_days(1))
    count()
    before = count()
    for n in range(4):
        activity = make_activity(site_tree.community, f"活动{n}", in_days(n + 2))
        signup_create(activity=activity, member=factories.MemberFactory())
    count()  # new rows invalidate the cached figures; their fixed cost is test_figures' concern
    assert count() == before


def test_the_calendar_shows_the_members_own_state_on_each_activity(
    client, site_tree, index, member
):
    full = make_activity(site_tree.community, "满员活动", in_days(1), capacity=1)
    signup_create(activity=full, member=factories.MemberFactory())
    signup_create(activity=full, member=member)  # waitlisted
    joined = make_activity(site_tree.community, "已报名活动", in_days(1, hour=14))
    signup_create(activity=joined, member=member)
    make_activity(site_tree.community, "未报名活动", in_days(1, hour=16))
    month = f"{in_days(1):%Y-%m}"
    client.force_login(member.user)
    html = html_of(client, f"{index.url}calendar/?month={month}")
    for title, label in (("满员活动", "候补"), ("已报名活动", "已报名")):
        item = html[html.index(f"{title}</a>") :]
        assert f'--{label_state(label)}">{label}</span>' in item[: item.index("</li>")], title
    item = html[html.index("未报名活动</a>") :]
    assert "state-badge--" not in item[: item.index("</li>")]
    client.logout()
    assert "state-badge--approved" not in html_of(client, f"{index.url}calendar/?month={month}")


def test_own_states_cost_the_calendar_no_query_per_activity(client, site_tree, index, member):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, f"{index.url}calendar/?month={month}")
        return len(ctx.captured_queries)

    month = f"{in_days(1):%Y-%m}"
    make_activity(site_tree.community, "第一个活动", in_days(1))
    client.force_login(member.user)
    count()  # warm the per-process caches
    before = count()
    for n in range(4):
        activity = make_activity(site_tree.community, f"更多活动{n}", in_days(1, hour=10 + n))
        signup_create(activity=activity, member=member)
    count()
    assert count() == before
    # The day shows its first CALENDAR_DAY_LIMIT activities: 第一个活动, then signed-up ones.
    html = html_of(client, f"{index.url}calendar/?month={month}")
    assert html.count(">已报名</span>") == CALENDAR_DAY_LIMIT - 1
