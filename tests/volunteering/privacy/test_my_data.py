"""我的数据 (/my/data/ and its JSON download): everything the portal holds about the member, from
one selector, in a fixed number of queries, and never anyone else's data."""

import json
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from portal.api_auth import api_token_issue
from tests import factories
from tests.volunteering.records.test_my_service import past_activity_attended
from volunteering.menu import services as menu
from volunteering.points.services import point_correction_create
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create, report_return
from volunteering.teams.services import team_join_request

PAGE = reverse("service:my_data")
DOWNLOAD = reverse("service:my_data_download")


def fill_record(member, community, staff, *, tag: str):
    """Something in every section: reports with history, a team, a sign-up with hours, a claim,
    a pledge, points, a resident's request the member handled, an API token."""
    returned = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_return(report=returned, by=staff, reason=f"请补充说明{tag}")
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_confirm(report=report, by=staff)
    team_join_request(
        team=factories.TeamFactory(community=community, name=f"服务队{tag}"), member=member
    )
    past_activity_attended(community, member, staff, title=f"活动{tag}", hours=Decimal("3.5"))
    menu.claim_create(
        need=factories.NeedFactory(community=community, title=f"需求{tag}"), member=member
    )
    today = timezone.localdate()
    menu.pledge_create(
        post=factories.PostFactory(community=community, title=f"岗位{tag}"),
        member=member,
        commitment=f"承诺{tag}",
        starts_on=today,
        ends_on=today,
    )
    point_correction_create(
        member=member, community=community, amount=Decimal("2"), reason=f"更正{tag}", by=staff
    )
    factories.FeedbackFactory(
        community=community,
        state="assigned",
        assigned_member=member,
        name=f"居民{tag}",
        phone="13900000000",
    )
    api_token_issue(user=member.user)


def test_the_page_lists_every_section_readably(client, community, member, staff):
    fill_record(member, community, staff, tag="甲")
    client.force_login(member.user)
    html = client.get(PAGE).content.decode()
    for text in (
        "杨建国",
        member.phone,
        member.user.email,
        member.organisation.name,
        "请补充说明甲",
        "已退回",
        "已确认",
        "服务队甲",
        "活动甲",
        "3.5",
        "需求甲",
        "岗位甲",
        "承诺甲",
        "更正甲",
        "接口令牌",
        "承办的居民诉求",
        "工作人员",
    ):
        assert text in html, text
    # Other people are never named: the staff who decided, the resident of the request.
    assert "王小明" not in html and "居民甲" not in html and "13900000000" not in html
    assert reverse("service:my_data") in client.get("/my/").content.decode()


def test_the_download_is_the_same_data_as_json(client, community, member, staff):
    fill_record(member, community, staff, tag="甲")
    client.force_login(member.user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["real_name"] == "杨建国"
    assert data["profile"]["phone"] == member.phone
    assert [r["state"] for r in data["reports"]] == ["已确认", "已退回"]
    returned = data["reports"][1]["history"]
    assert [h["by"] for h in returned] == ["本人", "工作人员"]
    assert returned[-1]["reason"] == "请补充说明甲"
    assert data["signups"][0]["hours"] == "3.5"
    assert data["team_memberships"][0]["team"] == "服务队甲"
    assert data["claims"][0]["need"] == "需求甲"
    assert data["pledges"][0]["commitment"] == "承诺甲"
    assert data["points"][0]["reason"] == "更正甲"
    assert data["residents_voice"][0]["state"] == "已分派"
    assert len(data["api_tokens"]) == 1
    text = response.content.decode()
    # No secrets: no password hash, no token digest, no calendar key; no resident's contact.
    for secret in (member.user.password, "key_hash", "居民甲", "13900000000", "王小明"):
        assert secret not in text


def test_another_member_gets_nothing_of_mine(client, community, member, other_member, staff):
    fill_record(member, community, staff, tag="甲")
    client.force_login(other_member.user)
    for url in (PAGE, DOWNLOAD):
        body = client.get(url).content.decode()
        for text in ("杨建国", member.phone, "活动甲", "服务队甲", "更正甲", "请补充说明甲"):
            assert text not in body, (url, text)
    data = json.loads(client.get(DOWNLOAD).content)
    assert data["profile"]["real_name"] == "李四"
    assert data["reports"] == [] and data["signups"] == [] and data["api_tokens"] == []


def test_the_queries_do_not_grow_with_the_record(
    client, community, other_community, member, staff, other_staff, django_assert_max_num_queries
):
    fill_record(member, community, staff, tag="甲")
    client.force_login(member.user)
    client.get(PAGE)
    with django_assert_max_num_queries(32) as few:
        client.get(PAGE)
    budget = len(few.captured_queries)  # read now: the next request resets the query log
    fill_record(member, other_community, other_staff, tag="乙")
    client.get(PAGE)  # the first request after the page tree changed refills its cached reads
    with django_assert_max_num_queries(budget):
        html = client.get(PAGE).content.decode()
    assert "活动乙" in html
    with django_assert_max_num_queries(budget):
        client.get(DOWNLOAD)


def test_signing_in_is_required_and_a_user_without_member_record_is_told(client, staff):
    assert client.get(PAGE).status_code == 302
    assert client.get(DOWNLOAD).status_code == 302
    client.force_login(staff)
    assert client.get(PAGE).status_code == 200
    assert client.get(DOWNLOAD).status_code == 302
