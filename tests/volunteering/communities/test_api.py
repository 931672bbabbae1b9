"""`GET /api/v1/communities`: each community with its county and service window."""

from tests import factories
from tests.volunteering.api_support import anonymous


def test_communities_list_their_county_and_service_window(site_tree):
    factories.CommunityPageFactory(parent=site_tree.county, title="未发布社区", live=False)
    response = anonymous().get("/communities")
    assert response.status_code == 200
    rows = {row["title"]: row for row in response.json()}
    assert set(rows) == {"麒麟社区", "方城社区"}
    qilin = rows["麒麟社区"]
    assert qilin["id"] == site_tree.community.pk
    assert qilin["county"] == {"id": site_tree.county.pk, "title": "麒麟区"}
    assert qilin["window_place"] == "社区服务中心一楼"
    assert qilin["window_hours"] == "周一至周五 9:00-17:00"
    assert qilin["street_or_town"] == "西宁街道"
    assert qilin["url"].endswith("/qilin-community/")


def test_communities_query_count_does_not_grow_with_rows(site_tree, django_assert_max_num_queries):
    client = anonymous()
    with django_assert_max_num_queries(6) as few:
        client.get("/communities")
    for _i in range(8):
        factories.CommunityPageFactory(parent=site_tree.county)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/communities").json()) == 10
