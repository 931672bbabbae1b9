"""Residents' requests on the 待我处理 panel: new ones for their community's staff, with a count
and a link to the filtered list; those no one accepted within VOICE_ESCALATION_DAYS for the
city, as escalations. The panel and the lists take a bounded number of queries."""

import datetime

from bs4 import BeautifulSoup
from django.utils import timezone

from tests import factories
from tests.volunteering.admin.support import url
from volunteering.voice.models import Feedback

NEW = "待受理的居民诉求"
OVERDUE = "超过 3 天未受理的居民诉求（督办）"


def panel(client) -> dict[str, tuple[int, str]]:
    """label → (count, link) of the 待我处理 panel."""
    page = BeautifulSoup(client.get("/admin/").content, "html.parser")
    items = {}
    for row in page.select("tr"):
        link, count = row.select_one("a[href]"), row.select_one("td[data-awaiting-count]")
        if link and count:
            items[link.get_text(strip=True)] = (int(count.get_text()), link["href"])
    return items


def aged(community, days: float, **fields) -> Feedback:
    feedback = factories.FeedbackFactory(community=community, **fields)
    Feedback.objects.filter(pk=feedback.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return feedback


def listed(client, link: str) -> set[int]:
    page = BeautifulSoup(client.get(link).content, "html.parser")
    prefix = url("feedback", "index") + "inspect/"
    return {
        int(a["href"][len(prefix) :].strip("/"))
        for a in page.select("table.listing tbody td a[href]")
        if a["href"].startswith(prefix)
    }


def test_staff_see_their_communitys_new_requests(world, client):
    mine = aged(world.a.community, 0)
    aged(world.a.community, 0, state="accepted")
    theirs = aged(world.b.community, 0)
    client.force_login(world.a.staff)

    items = panel(client)

    count, link = items[NEW]
    assert count == 1
    assert link == url("feedback", "index") + "?state=submitted"
    assert listed(client, link) == {mine.pk}
    assert theirs.pk not in listed(client, link)
    assert OVERDUE not in items  # escalations are the city's


def test_the_city_sees_requests_no_one_accepted_in_time(world, client):
    late_a = aged(world.a.community, 4)
    late_b = aged(world.b.community, 3.2)
    aged(world.a.community, 2)  # not yet late
    aged(world.b.community, 9, state="accepted")  # accepted: nothing to escalate
    client.force_login(world.city)

    count, link = panel(client)[OVERDUE]

    assert count == 2
    assert link == url("feedback", "index") + "?overdue=1"
    assert listed(client, link) == {late_a.pk, late_b.pk}


def test_the_number_of_days_is_a_setting(world, client, settings):
    settings.VOICE_ESCALATION_DAYS = 7
    aged(world.a.community, 4)
    client.force_login(world.city)
    assert panel(client)["超过 7 天未受理的居民诉求（督办）"][0] == 0


def test_the_panel_and_the_list_take_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(12):
        aged(world.a.community if n % 2 else world.b.community, n)
    client.force_login(world.city)
    client.get("/admin/")  # caches filled once per process
    with django_assert_max_num_queries(40):
        assert panel(client)[OVERDUE][0] == 9
    with django_assert_max_num_queries(30):
        assert len(listed(client, url("feedback", "index") + "?overdue=1")) == 9
