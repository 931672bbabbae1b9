"""Issue 11, point 3 (fast at city scale): each staff admin list costs at most 15 queries, as a
community's staff and as the city, and the same with two rows as with a dozen, with a dozen more
communities and organisations around (the city's size must not show in a list's cost). The
page explorer of a community costs the same however many activities it holds, and whatever page
types they are."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PagePermissionTester

from tests import factories
from tests.volunteering.admin.support import url
from volunteering.menu.models import Need
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from workflows.statemachine import fixture_states

MAX_QUERIES = 15
# The page explorer is Wagtail's own page, with its menus, filters and side panels: listing,
# reordering (unpaginated) and searching, 19, 18 and 16 queries for community staff (issue 11
# asks for 15: not met, docs/public-pages.md says what remains), 14, 13 and 11 for a superuser
# (were 29, 28, 26 and 25, 24, 22).
EXPLORER_QUERIES = {"staff": [19, 18, 16], "superuser": [14, 13, 11]}
LISTS = ["signup", "report", "member", "feedback", "need", "pointentry"]


@fixture_states()
def grow(world, count: int, tag: str) -> None:
    """`count` more rows in every list of community A, each with a member of an organisation
    of their own reported there, and as many communities and organisations elsewhere."""
    side = world.a
    county = side.community.get_parent()
    for n in range(count):
        member = factories.MemberFactory(organisation=factories.OrganisationFactory())
        Report.objects.create(member=member, community=side.community, kind="voluntary")
        Need.objects.create(community=side.community, title=f"需求{tag}{n}")
        activity = factories.ActivityPageFactory(parent=side.community, title=f"活动{tag}{n}")
        SignUp.objects.create(activity=activity, member=member, queued_at=timezone.now())
        factories.FeedbackFactory(community=side.community)
        factories.point_entry(member, side.community, 2)
        factories.CommunityPageFactory(parent=county, title=f"远处社区{tag}{n}")
        factories.OrganisationFactory(name=f"远处单位{tag}{n}")


def queries_of(client, path: str) -> int:
    client.get(path)  # warm the process's caches (content types, site roots)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def superuser():
    """The city as the demo's `admin` is: a superuser (who sees the whole page tree)."""
    return get_user_model().objects.create_superuser("city-admin", "city@example.com", "x")


@pytest.mark.parametrize("who", ["staff", "city"])
def test_every_list_costs_at_most_15_queries_at_any_size(world, client, who):
    client.force_login(world.a.staff if who == "staff" else world.city)
    paths = {model: url(model, "index") for model in LISTS}
    grow(world, 1, "甲")  # two rows in each list (the world has one of most)
    few = {model: queries_of(client, path) for model, path in paths.items()}
    grow(world, 9, "乙")
    many = {model: queries_of(client, path) for model, path in paths.items()}
    assert many == few
    assert max(many.values()) <= MAX_QUERIES, many


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_the_page_explorer_of_a_community_does_not_grow_with_its_activities(world, client, who):
    """Staff who edit but do not publish were asked per row whether the page had live pages
    below it (two queries per activity: its move and delete buttons)."""
    client.force_login(world.a.staff if who == "staff" else superuser())
    path = reverse("wagtailadmin_explore", args=[world.a.community.pk])
    few = queries_of(client, path)
    for n in range(6):
        factories.ActivityPageFactory(parent=world.a.community, title=f"草稿活动{n}", live=False)
        factories.ActivityPageFactory(parent=world.a.community, title=f"发布活动{n}")
    assert queries_of(client, path) == few


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_the_page_explorer_costs_the_same_whatever_page_types_and_branches_it_lists(
    world, client, who
):
    """Wagtail's explorer loads its rows `.specific()`: one query more per page type among them;
    and the permission tester asks, for each row with pages below it, whether one of them is
    live. The portal's explorer reads both in the rows' own query (`portal.page_editing`)."""
    community = world.a.community
    client.force_login(world.a.staff if who == "staff" else superuser())
    path = reverse("wagtailadmin_explore", args=[community.pk])
    paths = [path, f"{path}?ordering=ord", f"{path}?q=活动"]  # reordering: unpaginated
    few = [queries_of(client, p) for p in paths]  # the world's activities: one type, no branches
    for n in range(3):
        channel = factories.NewsIndexPageFactory(parent=community, title=f"动态{n}")
        factories.NewsPageFactory(parent=channel, live=False)
        factories.NewsPageFactory(parent=channel, live=n == 0)
        factories.BrandProjectPageFactory(parent=community, title=f"品牌{n}")
        factories.StandardPageFactory(parent=community, title=f"须知{n}")
    many = [queries_of(client, p) for p in paths]
    assert many == few == EXPLORER_QUERIES[who]


@pytest.mark.parametrize("query", ["", "?ordering=ord", "?q=动态"])
def test_the_explorer_lists_each_row_as_its_own_page_type(world, client, query):
    """Paginated, unpaginated (reordering) and searched, the rows are their page types (their
    permission tester is the portal's, `workflows.page_permissions`), read from the rows' query."""
    community = world.a.community
    factories.NewsIndexPageFactory(parent=community, title="社区动态")
    factories.BrandProjectPageFactory(parent=community, title="品牌动态")
    client.force_login(world.a.staff)
    path = reverse("wagtailadmin_explore", args=[community.pk])
    rows = list(client.get(path + query).context["table"].data)
    assert {type(row).__name__ for row in rows} >= {"NewsIndexPage", "BrandProjectPage"}
    assert all(type(row) is row.specific_class for row in rows)


@pytest.mark.parametrize("bulk_delete", [False, True])
def test_the_buttons_of_branches_are_wagtails_own(world, client, bulk_delete):
    """The rows' "has a live page below" comes from the listing's query: a channel whose news
    are all drafts and one with a published item get the delete and move buttons Wagtail's own
    permission tester gives them, with and without the permission to delete branches."""
    community = world.a.community
    staff = world.a.staff
    if bulk_delete:
        group = staff.groups.first()
        GroupPagePermission.objects.create(
            group=group, page=community, permission_type="bulk_delete"
        )
        staff = get_user_model().objects.get(pk=staff.pk)
    drafts_only = factories.NewsIndexPageFactory(parent=community, title="草稿栏目", live=False)
    factories.NewsPageFactory(parent=drafts_only, live=False)
    with_live = factories.NewsIndexPageFactory(parent=community, title="有发布的栏目", live=False)
    factories.NewsPageFactory(parent=with_live, live=True)
    client.force_login(staff)
    html = client.get(reverse("wagtailadmin_explore", args=[community.pk])).content.decode()
    for page in (drafts_only, with_live):
        wagtails = PagePermissionTester(staff, Page.objects.get(pk=page.pk))
        assert (reverse("wagtailadmin_pages:delete", args=[page.pk]) in html) == (
            wagtails.can_delete()
        )
        assert (reverse("wagtailadmin_pages:move", args=[page.pk]) in html) == (wagtails.can_move())
    if bulk_delete:
        assert reverse("wagtailadmin_pages:delete", args=[drafts_only.pk]) in html


def test_staff_may_still_delete_a_draft_activity_but_not_a_published_one(world, client):
    """What the explorer offers is unchanged: staff without the publish permission may delete
    (and move) a page with nothing live in it, not a live one."""
    draft = factories.ActivityPageFactory(parent=world.a.community, title="草稿活动", live=False)
    client.force_login(world.a.staff)
    page = client.get(reverse("wagtailadmin_explore", args=[world.a.community.pk]))
    html = page.content.decode()
    assert reverse("wagtailadmin_pages:delete", args=[draft.pk]) in html
    assert reverse("wagtailadmin_pages:move", args=[draft.pk]) in html
    live = world.a.activity
    assert reverse("wagtailadmin_pages:delete", args=[live.pk]) not in html
    assert reverse("wagtailadmin_pages:move", args=[live.pk]) not in html


def test_a_communitys_sign_ups_are_found_through_the_page_paths_index(world, client):
    """At city scale 麒麟社区's staff waited 49 ms for their page of sign-ups and 23 ms for its
    count: `path LIKE '…%'` cannot be read from SQLite's index, so the list walked every
    sign-up of the city in its order, joining each to its activity. A range of paths is read
    from the page tree's index, then the community's sign-ups from the activity index."""
    client.force_login(world.a.staff)
    grow(world, 2, "丙")
    path = url("signup", "index")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    reads = [
        q["sql"] for q in captured.captured_queries if 'FROM "volunteering_signup"' in q["sql"]
    ]
    assert len(reads) == 2, reads  # the page and its count
    for sql in reads:
        assert "BETWEEN" in sql and " LIKE " not in sql, sql
        if connection.vendor != "sqlite":
            continue  # PostgreSQL plans a test's tiny tables by their size, not by the index
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert "wagtailcore_page" in plan and "(path>? AND path<?)" in plan, plan
        assert "SCAN volunteering_signup" not in plan, plan


def test_the_range_of_a_communitys_paths_holds_its_descendants_only(world):
    from volunteering.admin.policy import descendant_paths

    community = world.a.community
    low, high = descendant_paths(community.path)
    child = world.a.activity
    deep = community.path + "0001" + "ZZZZ"
    sibling = community.get_next_sibling() or factories.CommunityPageFactory(
        parent=community.get_parent(), title="隔壁社区"
    )
    assert low <= child.path <= high
    assert low <= deep <= high
    assert not low <= community.path <= high
    assert not low <= sibling.path <= high
    assert not low <= community.path[:-1] + "Z" <= high


@pytest.mark.parametrize("who", ["staff", "city"])
def test_the_members_list_counts_its_members_without_reading_their_accounts(world, client, who):
    """The list shows each member's account status (已激活 …): through a join on the accounts,
    its count kept the join and walked every account of the city (28 ms at city scale on
    SQLite against 0.4 ms at 3,000 members). The status is now an EXISTS, which the count
    leaves out; the statuses shown are unchanged (tests/volunteering/accounts)."""
    client.force_login(world.a.staff if who == "staff" else world.city)
    path = url("member", "index")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "volunteering_member"')
    ]
    assert len(counts) == 1, [q["sql"] for q in captured.captured_queries]
    assert '"auth_user"' not in counts[0], counts[0]
