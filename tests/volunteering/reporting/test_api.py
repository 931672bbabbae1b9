"""Reports (报到) in the JSON API (/api/v1/reports…): a member reports, staff confirm or
return with a reason; every error code and the permission rules per role."""

import pytest

from tests import factories
from tests.volunteering.api_support import anonymous, as_, detail
from volunteering import errors
from volunteering.communities.api import COMMUNITY_NOT_FOUND
from volunteering.reporting.api import REPORT_NOT_A_MEMBER, REPORT_NOT_FOUND
from volunteering.reporting.models import Report, ServiceFile
from workflows import statemachine


def report_body(community, **extra):
    return {"community": community.pk, "kind": "voluntary", "note": "住在本社区", **extra}


def test_a_member_reports_to_a_community(site_tree, member):
    response = as_(member.user).post("/reports", report_body(site_tree.community))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["community"] == {"id": site_tree.community.pk, "title": "麒麟社区"}
    assert (body["kind"], body["kind_label"], body["is_primary"]) == ("voluntary", "自愿报到", True)


def test_the_same_report_twice_is_a_409_conflict(site_tree, member):
    client = as_(member.user)
    client.post("/reports", report_body(site_tree.community))
    response = client.post("/reports", report_body(site_tree.community))
    assert response.status_code == 409
    assert detail(response) == str(errors.REPORT_DUPLICATE)
    assert Report.objects.count() == 1


def test_reporting_as_linked_to_a_community_not_linked_is_422(site_tree, member):
    response = as_(member.user).post("/reports", report_body(site_tree.community, kind="linked"))
    assert response.status_code == 422
    assert detail(response) == str(errors.REPORT_KIND_NOT_LINKED)


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"kind": "voluntary"},
        {"community": "麒麟社区", "kind": "voluntary"},
        {"community": 10**30, "kind": "voluntary"},
        {"community": 1, "kind": "whatever"},
        {"community": 1, "kind": "voluntary", "is_primary": "maybe"},
        {"community": 1, "kind": "voluntary", "note": "长" * 501},
    ],
)
def test_a_bad_report_body_is_422(member, body):
    response = as_(member.user).post("/reports", body)
    assert response.status_code == 422
    assert detail(response).startswith("请求有误")
    assert not Report.objects.exists()


def test_reporting_to_an_unknown_community_is_422(member):
    response = as_(member.user).post("/reports", {"community": 999_999, "kind": "voluntary"})
    assert response.status_code == 422
    assert detail(response) == str(COMMUNITY_NOT_FOUND)


def test_reporting_needs_a_member(site_tree, staff):
    assert anonymous().post("/reports", report_body(site_tree.community)).status_code == 401
    response = as_(staff).post("/reports", report_body(site_tree.community))
    assert response.status_code == 403
    assert detail(response) == str(REPORT_NOT_A_MEMBER)


@pytest.fixture
def report(site_tree, member):
    return factories.ReportFactory(member=member, community=site_tree.community)


@pytest.mark.parametrize("who", ["staff", "admin_user"])
def test_staff_confirm_a_report_and_the_service_file_opens(request, report, who):
    response = as_(request.getfixturevalue(who)).post(f"/reports/{report.pk}/confirm")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert ServiceFile.objects.filter(member=report.member, community=report.community).exists()


def test_staff_return_a_report_with_a_reason(report, staff):
    response = as_(staff).post(f"/reports/{report.pk}/return", {"reason": "请先到窗口登记"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("returned", "已退回")


def test_returning_without_a_reason_is_422(report, staff):
    response = as_(staff).post(f"/reports/{report.pk}/return", {"reason": ""})
    assert response.status_code == 422
    assert detail(response) == statemachine.REASON_REQUIRED % {"action": "退回"}
    report.refresh_from_db()
    assert report.state == "pending"


def test_confirming_a_returned_report_is_a_409_conflict(report, staff):
    client = as_(staff)
    client.post(f"/reports/{report.pk}/return", {"reason": "信息不全"})
    assert client.post(f"/reports/{report.pk}/confirm").status_code == 409


def test_a_member_may_not_confirm_their_own_report(report, member):
    assert as_(member.user).post(f"/reports/{report.pk}/confirm").status_code == 403


@pytest.mark.parametrize("who", ["other_member", "other_staff"])
@pytest.mark.parametrize("action", ["confirm", "return"])
def test_others_and_staff_of_another_community_get_404_for_a_report(request, report, who, action):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    response = as_(user).post(f"/reports/{report.pk}/{action}", {"reason": "看不到"})
    assert response.status_code == 404
    assert detail(response) == str(REPORT_NOT_FOUND)
    report.refresh_from_db()
    assert report.state == "pending"


def test_confirming_needs_a_token(report):
    assert anonymous().post(f"/reports/{report.pk}/confirm").status_code == 401
