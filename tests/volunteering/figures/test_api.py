"""`GET /api/v1/stats`: the same figures as the statistics page, for the city, a county or a
community, without a token; bad filters answered in JSON like the rest of the API."""

import pytest
from django.utils import timezone

from tests import factories
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report

URL = "/api/v1/stats"


@pytest.fixture
def data(site_tree):
    window = factories.OrganisationFactory(kind=Organisation.Kind.WINDOW)
    for community, organisation in [
        (site_tree.community, None),
        (site_tree.community, window),
        (site_tree.other_community, window),
    ]:
        extra = {"member__organisation": organisation} if organisation else {}
        factories.ReportFactory(community=community, state=Report.State.CONFIRMED, **extra)
    factories.ReportFactory(community=site_tree.other_community, state=Report.State.PENDING)
    factories.GoodDeedFactory(community=site_tree.other_community)
    return site_tree


@pytest.mark.django_db
def test_city_figures_and_trend_without_a_token(client, data):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"kind": "city", "id": None, "title": "全市"}
    assert body["figures"] == {
        "communities": 2,
        "organisations": 2,
        "agencies": 1,
        "window_units": 1,
        "service_units": 0,
        "members_reported": 3,
        "activities_held": 0,
        "suggestions_heard": 0,
        "disputes_resolved": 0,
        "difficulties_solved": 0,
        "good_deeds_done": 1,
    }
    assert len(body["trend"]) == 12
    this_month = body["trend"][-1]
    assert this_month.pop("month") == timezone.localdate().strftime("%Y-%m")
    assert this_month == {k: v for k, v in body["figures"].items() if k != "organisations"}


@pytest.mark.django_db
def test_county_and_community_filters(client, data):
    body = client.get(URL, {"county": data.county.pk}).json()
    assert body["scope"] == {"kind": "county", "id": data.county.pk, "title": "麒麟区"}
    assert body["figures"]["members_reported"] == 3
    body = client.get(URL, {"community": data.other_community.pk}).json()
    assert body["scope"]["kind"] == "community"
    assert body["figures"]["members_reported"] == 1
    assert body["figures"]["window_units"] == 1
    assert body["figures"]["good_deeds_done"] == 1
    both = {"county": data.county.pk, "community": data.community.pk}
    assert client.get(URL, both).json()["figures"]["members_reported"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"county": "abc"}, 422, "请求有误：“county”应为整数"),
        ({"community": "0"}, 422, "请求有误：“community”超出允许范围"),
        ({"community": str(2**64)}, 422, "请求有误：“community”"),
        ({"county": "999999"}, 404, "没有找到这个县（市、区）或社区"),
        ({"community": "999999"}, 404, "没有找到这个县（市、区）或社区"),
    ],
)
def test_bad_filters_are_answered_in_json(client, data, params, status, detail):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)


@pytest.mark.django_db
def test_a_community_of_another_county_is_not_found(client, data):
    other = factories.CountyPageFactory(parent=data.communities, title="沾益区")
    response = client.get(URL, {"county": other.pk, "community": data.community.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_only_get_is_allowed(client, data):
    response = client.post(URL)
    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.django_db
def test_a_bounded_number_of_queries(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(URL, {"county": data.county.pk})
