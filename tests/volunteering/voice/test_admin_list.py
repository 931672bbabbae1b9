"""居民诉求 in the admin list: each row opens its triage (the inspect page, with its actions and
timeline) and offers the actions of its state, for the community's staff, the city and
superusers alike."""

import pytest
from bs4 import BeautifulSoup

from tests import factories
from tests.factories import city_user, community_staff
from tests.volunteering.admin.support import url


@pytest.fixture
def item(site_tree):
    return factories.FeedbackFactory(community=site_tree.community, text="楼道灯坏了三个月")


@pytest.mark.parametrize("role", ["staff", "city", "superuser"])
def test_each_row_opens_its_triage(role, item, site_tree, client):
    user = {
        "staff": lambda: community_staff(site_tree.community, "staff-a"),
        "city": city_user,
        "superuser": lambda: factories.UserFactory(username="root", is_superuser=True),
    }[role]()
    client.force_login(user)
    page = BeautifulSoup(client.get(url("feedback", "index")).content, "html.parser")
    (row,) = page.select("table.listing tbody tr")
    title = row.select_one("td a[href]")
    assert title["href"] == url("feedback", "inspect", item.pk)
    assert "楼道灯坏了三个月" in title.get_text()
    # the actions of a new item, on the row itself
    hrefs = {a["href"].split("?")[0] for a in row.select("a[href]")}
    assert url("feedback", "action", item.pk, "accept") in hrefs
    assert url("feedback", "action", item.pk, "reject") in hrefs
    triage = client.get(title["href"])
    assert triage.status_code == 200
    assert "楼道灯坏了三个月" in triage.content.decode()


def test_staff_of_another_community_do_not_see_the_row(item, site_tree, client):
    client.force_login(community_staff(site_tree.other_community, "staff-b"))
    page = client.get(url("feedback", "index")).content.decode()
    assert url("feedback", "inspect", item.pk) not in page
    assert client.get(url("feedback", "inspect", item.pk)).status_code == 404
