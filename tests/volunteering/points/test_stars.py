"""Stars (星级管理): one to five by the points of the last 365 days, by thresholds the admin sets;
the member sees their points, stars and how they earned them on 我的服务 and /my/points/."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from volunteering.points.models import THRESHOLDS_NOT_ASCENDING, StarThresholds
from volunteering.points.selectors import member_points


@pytest.mark.parametrize(
    "points, stars",
    [(-1, 0), (0, 1), ("19.9", 1), (20, 2), (49, 2), (50, 3), (100, 4), ("199.9", 4), (200, 5)],
)
def test_stars_at_the_edges_of_the_default_thresholds(member, site_tree, points, stars):
    if points:
        factories.point_entry(member, site_tree.community, points)
    assert member_points(member).stars == stars


def test_thresholds_set_in_the_admin_apply(member, site_tree, admin_client):
    settings = StarThresholds.load()
    response = admin_client.post(
        reverse("wagtailsettings:edit", args=("volunteering", "starthresholds", settings.pk)),
        {
            "one_star": "1",
            "two_stars": "5",
            "three_stars": "10",
            "four_stars": "15",
            "five_stars": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    factories.point_entry(member, site_tree.community, 10)
    assert member_points(member).stars == 3


def test_thresholds_must_ascend(db):
    thresholds = StarThresholds(
        one_star=0, two_stars=50, three_stars=20, four_stars=100, five_stars=200
    )
    with pytest.raises(Exception) as refused:
        thresholds.full_clean()
    assert str(THRESHOLDS_NOT_ASCENDING) in str(refused.value)


def test_the_rolling_year_counts_the_last_365_days_only(member, site_tree):
    factories.point_entry(member, site_tree.community, 150, days_ago=366)
    factories.point_entry(member, site_tree.community, 30, days_ago=364)
    points = member_points(member)
    assert (points.total, points.year_total, points.stars) == (Decimal(180), Decimal(30), 2)


def test_my_service_shows_points_and_stars(member, site_tree, client):
    factories.point_entry(member, site_tree.community, 55, reason="参加活动“清扫楼道” 2 小时")
    client.force_login(member.user)
    page = client.get(reverse("service:my_service")).content.decode()
    assert "奉献积分" in page and "近一年积分" in page
    assert "★★★☆☆" in page
    assert reverse("service:my_points") in page


def test_my_points_lists_how_they_were_earned(member, site_tree, client):
    factories.point_entry(member, site_tree.community, 4, reason="参加活动“清扫楼道” 2 小时")
    factories.point_entry(member, site_tree.community, "-2", reason="撤销：重复签到")
    someone_else = factories.MemberFactory(real_name="李四")
    factories.point_entry(someone_else, site_tree.community, 99, reason="别人的积分")
    client.force_login(member.user)
    page = client.get(reverse("service:my_points")).content.decode()
    assert "清扫楼道" in page and "+4" in page and "-2" in page and "麒麟社区" in page
    assert "别人的积分" not in page


def test_my_points_is_paginated_in_bounded_queries(
    member, site_tree, client, django_assert_max_num_queries
):
    for i in range(5):
        factories.point_entry(member, site_tree.community, 1, reason=f"事项{i}")
    client.force_login(member.user)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("service:my_points"))
    for i in range(5, 60):
        factories.point_entry(member, site_tree.community, 1, reason=f"事项{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("service:my_points")).content.decode()
    assert "第 1 页，共 3 页" in page
    assert "事项59" in page and "事项0" not in page


def test_my_points_needs_a_login(site_tree, client):
    response = client.get(reverse("service:my_points"))
    assert response.status_code == 302 and "login" in response["Location"]
