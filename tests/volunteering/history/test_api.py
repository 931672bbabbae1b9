"""Read-only history in the API: GET /reports/{id}/history and /signups/{id}/history, for whoever
may read the object (its member, its community's staff, the city), 404 for anyone else; every
other method on those paths is refused with a JSON 405 and changes nothing."""

import pytest

from tests import factories
from tests.volunteering.api_support import ApiClient, anonymous
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_create, report_return
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_create, signup_reject


@pytest.fixture
def report(site_tree, member, staff):
    report = report_create(member=member, community=site_tree.community, kind="voluntary")
    return report_return(report=report, by=staff, reason="请先到报到窗口登记")


@pytest.fixture
def signup(site_tree, member, staff):
    activity = factories.ActivityPageFactory(
        parent=site_tree.community, title="义诊", needs_approval=True
    )
    signup, _created = signup_create(activity=activity, member=member)
    return signup_reject(signup=signup, by=staff, reason="名额已满")


def test_the_member_reads_their_reports_history_with_staff_by_role(report, member):
    response = ApiClient(member.user).get(f"/reports/{report.pk}/history")

    assert response.status_code == 200
    body = response.json()
    assert body["truncated"] is False
    returned, created = body["items"]
    assert returned["action"] == "return"
    assert (returned["from_status"], returned["to_status"]) == ("pending", "returned")
    assert (returned["from_label"], returned["to_label"]) == ("待确认", "已退回")
    assert returned["by"] == "社区工作人员"
    assert returned["reason"] == "请先到报到窗口登记"
    assert {"field": "state", "label": "状态", "old": "待确认", "new": "已退回"} in returned[
        "changes"
    ]
    assert created["by"] == "本人"


def test_staff_read_the_same_history_with_names(report, staff):
    body = ApiClient(staff).get(f"/reports/{report.pk}/history").json()
    assert body["items"][0]["by"] == "王小明"


def test_a_signups_history(signup, member):
    body = ApiClient(member.user).get(f"/signups/{signup.pk}/history").json()
    assert body["items"][0]["to_label"] == "未通过"
    assert body["items"][0]["reason"] == "名额已满"


def test_others_get_404_and_strangers_401(report, signup, other_member, other_staff):
    for user in (other_member.user, other_staff):
        assert ApiClient(user).get(f"/reports/{report.pk}/history").status_code == 404
        assert ApiClient(user).get(f"/signups/{signup.pk}/history").status_code == 404
    assert anonymous().get(f"/reports/{report.pk}/history").status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_history_cannot_be_written_through_the_api(report, signup, member, staff, method):
    before = (Report.history.count(), SignUp.history.count())
    for user in (member.user, staff):
        client = ApiClient(user)
        for path in (f"/reports/{report.pk}/history", f"/signups/{signup.pk}/history"):
            response = getattr(client.client, method)(
                f"/api/v1{path}",
                data='{"reason": "改写"}',
                content_type="application/json",
                headers=client.headers,
            )
            assert response.status_code == 405, (method, path, response.content)
            assert response["Content-Type"].startswith("application/json")
            assert "GET" in response.json()["detail"]
    assert (Report.history.count(), SignUp.history.count()) == before


def test_history_query_count_does_not_grow(site_tree, member, staff, django_assert_max_num_queries):
    activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=1)
    signup, _created = signup_create(activity=activity, member=member)
    client = ApiClient(staff)
    with django_assert_max_num_queries(15):
        assert client.get(f"/signups/{signup.pk}/history").status_code == 200
