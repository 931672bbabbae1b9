"""`GET /api/v1/communities`: each community with its county and service window, a page at a
time (a city has hundreds), optionally one county's."""

from tests import factories
from tests.volunteering.api_support import anonymous
from volunteering.communities.models import CommunityPage


def test_communities_list_their_county_and_service_window(site_tree):
    factories.CommunityPageFactory(parent=site_tree.county, title="未发布社区", live=False)
    response = anonymous().get("/communities")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    rows = {row["title"]: row for row in response.json()["items"]}
    assert set(rows) == {"麒麟社区", "方城社区"}
    qilin = rows["麒麟社区"]
    assert qilin["id"] == site_tree.community.pk
    assert qilin["county"] == {"id": site_tree.county.pk, "title": "麒麟区"}
    assert qilin["window_place"] == "社区服务中心一楼"
    assert qilin["window_hours"] == "周一至周五 9:00-17:00"
    assert qilin["street_or_town"] == "西宁街道"
    assert qilin["url"].endswith("/qilin-community/")


def test_communities_come_a_page_at_a_time_in_tree_order(site_tree):
    for n in range(25):
        factories.CommunityPageFactory(parent=site_tree.county, title=f"社区{n:02d}")
    client = anonymous()
    first = client.get("/communities").json()
    assert first["count"] == 27 and len(first["items"]) == 20  # the default page size
    second = client.get("/communities", page=2).json()
    assert len(second["items"]) == 7
    in_order = list(CommunityPage.objects.live().order_by("path").values_list("pk", flat=True))
    assert [row["id"] for row in first["items"] + second["items"]] == in_order
    assert len(client.get("/communities", page_size=100).json()["items"]) == 27
    assert client.get("/communities", page_size=101).status_code == 422


def test_communities_of_one_county(site_tree):
    county = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")
    factories.CommunityPageFactory(parent=county, title="西平社区")
    client = anonymous()
    rows = client.get("/communities", county=county.pk).json()["items"]
    assert [row["title"] for row in rows] == ["西平社区"]
    assert rows[0]["county"] == {"id": county.pk, "title": "沾益区"}
    rows = client.get("/communities", county=site_tree.county.pk).json()["items"]
    assert {row["title"] for row in rows} == {"麒麟社区", "方城社区"}
    assert client.get("/communities", county=999999).json() == {"items": [], "count": 0}
    assert client.get("/communities", county="abc").status_code == 422


def test_the_openapi_document_describes_the_pages_and_the_county(db):
    document = anonymous().get("/openapi.json").json()
    operation = document["paths"]["/api/v1/communities"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size", "county"}
    assert "分页" in operation["description"]


def test_communities_query_count_does_not_grow_with_rows(site_tree, django_assert_max_num_queries):
    client = anonymous()
    with django_assert_max_num_queries(6) as few:
        client.get("/communities")
    for _i in range(30):
        factories.CommunityPageFactory(parent=site_tree.county)
    factories.CommunityPageFactory(parent=factories.CountyPageFactory(parent=site_tree.communities))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/communities").json()["items"]) == 20
