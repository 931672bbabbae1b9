"""The member's "my service" page (我的服务): reports, claims, pledges, teams, sign-ups, hours and
the work record (工作记实), in a number of queries that does not grow with them."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering.activities.models import ActivityPage
from volunteering.menu import services as menu
from volunteering.records.selectors import my_service
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create, report_return
from volunteering.signups.services import signup_create, signup_mark_attendance, signup_reject
from volunteering.teams.services import team_join_request
from workflows.statemachine import record_actor

URL = "/my/"


def past_activity_attended(community, member, staff, *, title, hours=None, days_ago=3):
    """An activity the member signed up for while it was ahead, then attended."""
    activity = factories.ActivityPageFactory(parent=community, title=title, capacity=10)
    signup, _created = signup_create(activity=activity, member=member)
    start = timezone.now() - datetime.timedelta(days=days_ago)
    ActivityPage.objects.filter(pk=activity.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30)
    )
    signup_mark_attendance(signup=signup, by=staff, attended=True, hours=hours)
    return activity


def test_my_service_requires_signing_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_my_service_shows_reports_claims_pledges_and_teams(client, community, member, staff):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_confirm(report=report, by=staff)
    need = factories.NeedFactory(community=community, title="为独居老人代购药品")
    claim = menu.claim_create(need=need, member=member)
    menu.claim_decline(claim=claim, by=staff, reason="已由他人完成")
    post = factories.PostFactory(community=community, title="楼栋联络员")
    today = timezone.localdate()
    menu.pledge_create(
        post=post, member=member, commitment="每周走访三号楼", starts_on=today, ends_on=today
    )
    team = factories.TeamFactory(community=community, name="法律援助服务队")
    team_join_request(team=team, member=member)

    client.force_login(member.user)
    html = client.get(URL).content.decode()
    for text in (
        "杨建国",
        community.title,
        "已确认",
        "社区已为您建立服务档案。",
        "为独居老人代购药品",
        "未通过的理由：已由他人完成",
        "楼栋联络员",
        "每周走访三号楼",
        "法律援助服务队",
        "申请中",
        "日历订阅",
    ):
        assert text in html, text


def test_sign_ups_upcoming_and_past_hours_and_the_work_record(client, community, member, staff):
    upcoming = factories.ActivityPageFactory(parent=community, title="周末义诊", capacity=1)
    signup_create(activity=upcoming, member=member)
    rejected = factories.ActivityPageFactory(
        parent=community, title="需审核的活动", needs_approval=True
    )
    signup, _ = signup_create(activity=rejected, member=member)
    signup_reject(signup=signup, by=staff, reason="名额留给本楼栋居民")
    past_activity_attended(community, member, staff, title="文明引导", hours=Decimal("2"))
    past_activity_attended(community, member, staff, title="法律咨询日", days_ago=10)

    service = my_service(member=member)
    assert [s.activity.title for s in service.upcoming_signups] == ["周末义诊", "需审核的活动"]
    assert [e.activity.title for e in service.work_record] == ["文明引导", "法律咨询日"]
    assert [e.hours for e in service.work_record] == [Decimal("2"), Decimal("2.5")]
    assert service.hours_total == Decimal("4.5")
    assert service.work_record[0].community.pk == community.pk

    client.force_login(member.user)
    html = client.get(URL).content.decode()
    assert "周末义诊" in html and "已报名" in html
    assert "未通过的理由：名额留给本楼栋居民" in html
    assert "工作记实" in html and "文明引导" in html and "4.5" in html


def test_recommended_needs_follow_the_members_skills(client, community, member):
    law = factories.SkillFactory(name="法律咨询")
    member.skills.set([law])
    factories.NeedFactory(community=community, title="法律咨询进社区", skills=[law])
    factories.NeedFactory(
        community=community, title="不相符的需求", skills=[factories.SkillFactory(name="医疗保健")]
    )
    client.force_login(member.user)
    html = client.get(URL).content.decode()
    assert "为您推荐的服务需求" in html
    assert "法律咨询进社区" in html
    assert "不相符的需求" not in html


def _fill(community, other_community, member, staff, n):
    """`n` more of everything the page lists."""
    for i in range(n):
        place = community if i % 2 else other_community
        report = report_create(member=member, community=place, kind="voluntary")
        if place == community:
            report_confirm(report=report, by=staff)
        else:
            from volunteering.reporting.services import report_return

            report_return(
                report=report, by=factories.make_staff(place, username="fc-staff"), reason="补材料"
            )
        need = factories.NeedFactory(community=community)
        menu.claim_create(need=need, member=member)
        post = factories.PostFactory(community=community)
        today = timezone.localdate()
        menu.pledge_create(
            post=post, member=member, commitment="承诺", starts_on=today, ends_on=today
        )
        team = factories.TeamFactory(community=community, leader=member)
        team_join_request(team=team, member=member)
        signup_create(
            activity=factories.ActivityPageFactory(parent=community, capacity=3), member=member
        )
        past_activity_attended(community, member, staff, title=f"活动{i}")


def test_my_service_queries_do_not_grow_with_its_rows(
    client, site_tree, member, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member.user)
    _fill(site_tree.community, site_tree.other_community, member, staff, 1)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the per-process caches (site root paths, settings)
    before = count()
    _fill(site_tree.community, site_tree.other_community, member, staff, 1)
    _fill(site_tree.community, site_tree.other_community, member, staff, 1)
    count()  # the first request after the page tree changed refills its cached reads
    assert count() == before
    with django_assert_max_num_queries(30):
        client.get(URL)


def test_the_reason_shown_is_the_one_given_when_the_record_entered_its_state(
    community, member, staff
):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report = report_return(report=report, by=staff, reason="请补充单位介绍信")
    report.note = "已联系"
    record_actor(report, by=staff, reason="补记说明")
    report.save()  # a later save that is not a transition does not replace the decision's reason

    [shown] = my_service(member=member).reports
    assert (shown.state, shown.decision_reason) == (Report.State.RETURNED, "请补充单位介绍信")


def test_withdrawing_asks_once_more_before_it_is_sent(client, community, member):
    """The withdraw button opens a question; only its second button posts the form."""
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    team = factories.TeamFactory(community=community, name="法律援助服务队")
    team_join_request(team=team, member=member)
    client.force_login(member.user)
    html = client.get(URL).content.decode()
    assert f'action="{reverse("service:report_withdraw", args=[report.pk])}"' in html
    for label, question in (
        ("撤回报到", "撤回后如需再报到，要重新提交申请。"),
        ("撤回申请", "再加入需要重新申请。"),
    ):
        summary = f'<summary class="button button--secondary button--small">{label}</summary>'
        assert summary in html
        question_at = html.index(question, html.index(summary))
        assert html.index(f">确定{label}</button>", question_at)


def test_my_teams_show_only_the_current_membership_of_each_team(client, community, member, staff):
    """A request declined, then a new one approved: the team appears once, as joined."""
    from volunteering.teams import services as teams

    team = factories.TeamFactory(community=community, name="法律援助服务队", leader=None)
    other = factories.TeamFactory(community=community, name="环境整治服务队", leader=None)
    declined = team_join_request(team=team, member=member)
    teams.team_join_decline(membership=declined, by=staff, reason="名额已满")
    current = team_join_request(team=team, member=member)
    teams.team_join_approve(membership=current, by=staff)
    only_declined = team_join_request(team=other, member=member)
    teams.team_join_decline(membership=only_declined, by=staff, reason="暂不招新")

    client.force_login(member.user)
    response = client.get(URL)
    memberships = response.context["service"].memberships
    assert [(m.team.name, m.state) for m in memberships] == [
        ("环境整治服务队", "declined"),
        ("法律援助服务队", "approved"),
    ]
    html = response.content.decode()
    assert html.count("法律援助服务队") == 1
    assert "名额已满" not in html and "未通过的理由：暂不招新" in html


def test_a_new_member_without_sign_ups_is_shown_the_way_to_the_activities(
    client, site_tree, member
):
    """A member's first visit (just activated): nothing to show yet, and a link to where the
    activities are rather than a dead end."""
    index = factories.ActivityIndexPageFactory(parent=site_tree.home)
    client.force_login(member.user)
    html = client.get(URL).content.decode()
    assert "暂无即将开始的活动报名。" in html
    assert f'<a href="{index.url}">看看近期的志愿活动</a>' in html
