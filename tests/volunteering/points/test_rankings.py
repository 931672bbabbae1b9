"""Rankings: per community (points earned there) and per organisation, over the rolling year;
members who opted out are left out of the public pages (and only there); names are masked."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import community_staff, organisation_admin, point_entry
from tests.volunteering.admin.support import url
from volunteering.people.models import Member
from volunteering.points.selectors import community_ranking, masked_name


@pytest.fixture
def world(site_tree):
    organisation = factories.OrganisationFactory(name="市财政局")
    people = {
        name: factories.MemberFactory(real_name=name, organisation=organisation)
        for name in ["杨光明", "李小四", "王五", "欧阳娜娜"]
    }
    a, b = site_tree.community, site_tree.other_community
    point_entry(people["杨光明"], a, 30)
    point_entry(people["李小四"], a, 50)
    point_entry(people["王五"], a, 10)
    point_entry(people["王五"], b, 100)  # earned elsewhere: counts for the organisation only
    point_entry(people["欧阳娜娜"], a, 500, days_ago=400)  # more than a year ago
    return {"a": a, "b": b, "organisation": organisation, **people}


def names(rows) -> list[str]:
    return [row.member.real_name for row in rows]


def test_community_ranking_counts_the_points_earned_there_over_the_year(world):
    rows = community_ranking(world["a"])
    assert names(rows) == ["李小四", "杨光明", "王五"]
    assert [row.points for row in rows] == [Decimal(50), Decimal(30), Decimal(10)]
    assert [row.rank for row in rows] == [1, 2, 3]


def test_public_community_ranking_page_masks_names(world, client):
    page = client.get(reverse("service:community_ranking", args=(world["a"].pk,)))
    text = page.content.decode()
    assert page.status_code == 200
    assert "李**" in text and "杨**" in text and "王**" in text
    assert "李小四" not in text and "杨光明" not in text
    assert text.index("李**") < text.index("杨**") < text.index("王**")


def test_organisation_ranking_counts_all_their_members_points(world, client):
    page = client.get(reverse("service:organisation_ranking", args=(world["organisation"].pk,)))
    text = page.content.decode()
    assert page.status_code == 200 and "市财政局" in text
    assert text.index("王**") < text.index("李**") < text.index("杨**")
    assert "欧**" not in text  # only points older than a year


def test_a_member_who_opts_out_is_left_out_of_public_rankings_only(world, client):
    member = world["李小四"]
    client.force_login(member.user)
    response = client.post(
        reverse("service:member_profile"),
        {
            "other_skills": "",
            "residence_community": "",
            "phone": member.phone,
            "consent": "on",
            "hide_from_rankings": "on",
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).hide_from_rankings
    client.logout()
    public = client.get(reverse("service:community_ranking", args=(world["a"].pk,)))
    assert "李**" not in public.content.decode()
    assert "李小四" not in names(community_ranking(world["a"]))
    assert "李小四" in names(community_ranking(world["a"], public=False))

    staff = community_staff(world["a"], "staff-a")
    client.force_login(staff)
    admin_page = client.get(url("pointentry", "ranking"), {"community": world["a"].pk})
    text = admin_page.content.decode()
    assert admin_page.status_code == 200
    assert "李小四" in text and "不公开" in text


def test_organisation_admins_see_their_organisations_full_ranking(world, client):
    world["杨光明"].hide_from_rankings = True
    world["杨光明"].save()
    client.force_login(organisation_admin(world["organisation"], "org-admin"))
    page = client.get(url("pointentry", "ranking"), {"organisation": world["organisation"].pk})
    text = page.content.decode()
    assert text.index("王五") < text.index("李小四") < text.index("杨光明")
    other = factories.OrganisationFactory(name="市教育局")
    refused = client.get(url("pointentry", "ranking"), {"organisation": other.pk})
    assert "王五" not in refused.content.decode()


def test_staff_ranking_is_limited_to_their_own_communities(world, client):
    client.force_login(community_staff(world["b"], "staff-b"))
    page = client.get(url("pointentry", "ranking"), {"community": world["a"].pk})
    assert "杨光明" not in page.content.decode()


def test_the_community_page_links_to_its_ranking(world, client):
    page = client.get(world["a"].url).content.decode()
    assert reverse("service:community_ranking", args=(world["a"].pk,)) in page


def test_a_ranking_of_a_community_not_published_is_not_found(world, client):
    world["b"].unpublish()
    response = client.get(reverse("service:community_ranking", args=(world["b"].pk,)))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name, masked", [("杨光明", "杨**"), ("王五", "王**"), ("阿依古丽·买买提", "阿**"), ("", "**")]
)
def test_names_are_masked_after_the_first_character(name, masked):
    assert masked_name(name) == masked


def test_rankings_cost_the_same_number_of_queries_as_members_grow(
    world, client, django_assert_max_num_queries
):
    ranking_url = reverse("service:community_ranking", args=(world["a"].pk,))
    with django_assert_max_num_queries(20) as few:
        client.get(ranking_url)
    for i in range(30):
        point_entry(factories.MemberFactory(real_name=f"新党员{i}"), world["a"], i + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(ranking_url).content.decode()
    assert page.count("<tr>") == 1 + 20  # the header and the top 20


def test_equal_points_share_a_rank_and_the_next_rank_counts_the_places(world, client):
    point_entry(factories.MemberFactory(real_name="赵六"), world["a"], 30)  # level with 杨光明
    rows = community_ranking(world["a"])
    assert [(row.points, row.rank) for row in rows] == [
        (Decimal(50), 1),
        (Decimal(30), 2),
        (Decimal(30), 2),
        (Decimal(10), 4),
    ]
    html = client.get(reverse("service:community_ranking", args=(world["a"].pk,))).content
    ranks = re.findall(r"<tr><td>(\d+)</td>", html.decode())
    assert ranks == ["1", "2", "2", "4"]


def test_the_statistics_page_leads_to_every_public_ranking(world, client):
    """Through the index: a county (or 其他单位 for organisations without one) lists its
    communities' and organisations' rankings (tests/volunteering/points/test_rankings_index.py)."""
    statistics = client.get(reverse("figures:statistics")).content.decode()
    index_url = reverse("service:rankings")
    assert f'href="{index_url}"' in statistics
    index = client.get(index_url)
    assert index.status_code == 200
    assert f'href="?county={world["a"].get_parent().pk}"' in index.content.decode()
    html = client.get(index_url, {"county": world["a"].get_parent().pk}).content.decode()
    for community in (world["a"], world["b"]):
        assert f'href="{reverse("service:community_ranking", args=(community.pk,))}"' in html
    assert 'href="?county=other"' in html
    html = client.get(index_url, {"county": "other"}).content.decode()
    assert (
        f'href="{reverse("service:organisation_ranking", args=(world["organisation"].pk,))}"'
        in html
    )
    ranking = client.get(reverse("service:organisation_ranking", args=(world["organisation"].pk,)))
    assert f'href="{index_url}"' in ranking.content.decode()  # and back
    community_stats = client.get(reverse("figures:statistics"), {"community": world["a"].pk})
    assert (
        reverse("service:community_ranking", args=(world["a"].pk,))
        in community_stats.content.decode()
    )
