"""Printable records (打印档案): a member's service file (服务档案) and a community's contact
handbook (联系手册). Who may open each (everyone else gets a 404), the phone shown only to
those allowed, the rows each holds, and a number of queries that does not grow with them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import organisation_admin
from tests.volunteering.admin.support import build_world, url
from volunteering.activities.models import ActivityPage
from volunteering.assessment.models import Assessment
from volunteering.menu.models import PostPledge
from volunteering.points.models import PointEntry
from volunteering.reporting.models import Report, ServiceFile
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership
from workflows.statemachine import fixture_states


@pytest.fixture
def world(site_tree):
    world = build_world(site_tree)
    make_standing(world.a)
    make_standing(world.b)
    return world


@fixture_states()
def make_standing(side):
    """Turn a side's requests into a standing record: report confirmed with its file, pledge
    accepted, membership approved, the activity attended, points earned, an assessment."""
    Report.objects.filter(pk=side.report.pk).update(state=Report.State.CONFIRMED)
    ServiceFile.objects.create(report=side.report, member=side.member, community=side.community)
    PostPledge.objects.filter(pk=side.pledge.pk).update(state=PostPledge.State.ACCEPTED)
    TeamMembership.objects.filter(pk=side.membership.pk).update(state=TeamMembership.State.APPROVED)
    start = timezone.now() - datetime.timedelta(days=10)
    ActivityPage.objects.filter(pk=side.activity.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    # Attended as a check-in records it: with the activity's length as its hours.
    SignUp.objects.filter(pk=side.signup.pk).update(
        state=SignUp.State.ATTENDED, hours=Decimal("3.0")
    )
    PointEntry.objects.create(
        member=side.member,
        community=side.community,
        amount=Decimal("12"),
        kind="correction",
        rule_key="manual",
        reason="补录",
    )
    Assessment.objects.create(
        member=side.member,
        community=side.community,
        year=timezone.localdate().year - 1,
        grade=Assessment.Grade.EXCELLENT,
        comment="服务积极主动",
        state=Assessment.State.SUBMITTED,
    )
    side.member.skills.add(factories.SkillFactory(name=f"{side.community.title}法律咨询"))
    for refresh in (side.report, side.pledge, side.membership, side.signup):
        refresh.refresh_from_db()


def file_url(member):
    return reverse("service:service_file_print", args=[member.pk])


def handbook_url(community):
    return reverse("service:contact_handbook_print", args=[community.pk])


# --- The service file -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    for address in (file_url(world.a.member), handbook_url(world.a.community)):
        response = client.get(address)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member a", 200),  # the member themselves
        ("member b", 404),  # another member
        ("staff a", 200),  # staff of the community member a reported to
        ("staff b", 404),  # staff of another community
        ("organisation admin a", 200),  # member a's organisation's admin
        ("city", 200),
    ],
)
def test_who_may_open_a_members_service_file(client, world, who, status):
    users = {
        "member a": world.a.member.user,
        "member b": world.b.member.user,
        "staff a": world.a.staff,
        "staff b": world.b.staff,
        "organisation admin a": world.organisation_admin,
        "city": world.city,
    }
    client.force_login(users[who])
    response = client.get(file_url(world.a.member))
    assert response.status_code == status
    if status == 200:
        assert world.a.member.phone in response.content.decode()


def test_an_other_organisations_admin_gets_a_404(client, world):
    client.force_login(organisation_admin(world.organisation_b, "org-admin-b"))
    assert client.get(file_url(world.a.member)).status_code == 404


def test_a_member_who_does_not_exist_is_a_404(client, world):
    client.force_login(world.city)
    assert client.get(reverse("service:service_file_print", args=[999999])).status_code == 404


def test_service_file_holds_the_members_standing_record(client, world):
    side = world.a
    client.force_login(side.member.user)
    page = client.get(file_url(side.member)).content.decode()
    assert "在职党员服务档案" in page
    assert side.member.real_name in page and world.organisation_a.name in page
    assert side.community.title in page  # reported to, with the file's date
    assert timezone.localdate().strftime("%Y-%m-%d") in page
    assert f"{side.community.title}法律咨询" in page  # skills
    assert side.activity.title in page and "3.0" in page  # hours of the attended activity
    assert side.post.title in page and "每周联系楼栋居民" in page  # the accepted pledge
    assert side.team.name in page  # approved team membership
    assert "优秀" in page and "服务积极主动" in page  # the submitted assessment
    assert "12" in page and "★" in page  # points and stars
    assert "随记随访" in page and page.count("record-notes__line") >= 10
    assert page.count("portal/js/print-button.js") == 1 and "print-records.css" in page
    assert '<button type="button" data-print hidden>打印</button>' in page
    # Tables a phone cannot fit scroll inside named regions that keyboards can reach (axe
    # scrollable-region-focusable).
    assert page.count('class="record-table-wrap" tabindex="0" role="region"') == 4
    # Nothing of the other member.
    assert world.b.member.real_name not in page and world.b.activity.title not in page


def test_service_file_leaves_out_what_does_not_stand(client, world):
    side = world.a
    with fixture_states():
        PostPledge.objects.filter(pk=side.pledge.pk).update(state=PostPledge.State.DECLINED)
        Assessment.objects.filter(member=side.member).update(state=Assessment.State.DRAFT)
    client.force_login(side.member.user)
    page = client.get(file_url(side.member)).content.decode()
    assert "每周联系楼栋居民" not in page and "尚无领岗承诺" in page
    assert "服务积极主动" not in page and 'id="assessments-heading"' not in page


def test_running_header_names_the_member_and_cannot_break_out_of_the_style(client, world):
    member = world.a.member
    member.real_name = '张"三</style><script>'
    member.save()
    client.force_login(world.city)
    page = client.get(file_url(member)).content.decode()
    assert "@top-left" in page and "@top-right" in page
    style = re.split(r"<style nonce=\"[^\"]+\">", page, maxsplit=1)[1].split("</style>", 1)[0]
    assert "<script>" not in style and "张\\22 三\\3c /style\\3e " in style


def test_service_file_queries_are_bounded(client, world, django_assert_max_num_queries):
    side = world.a
    for n in range(4):
        activity = factories.ActivityPageFactory(parent=side.community, title=f"巡河{n}")
        with fixture_states():
            SignUp.objects.create(
                activity=activity,
                member=side.member,
                state=SignUp.State.ATTENDED,
                queued_at=timezone.now(),
            )
        team = Team.objects.create(name=f"护河队{n}", community=side.community)
        with fixture_states():
            TeamMembership.objects.create(
                team=team, member=side.member, state=TeamMembership.State.APPROVED
            )
    client.force_login(side.staff)
    with django_assert_max_num_queries(28):
        response = client.get(file_url(side.member))
    page = response.content.decode()
    assert "巡河3" in page and "护河队3" in page


# --- The contact handbook ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member a", 404),
        ("staff a", 200),
        ("staff b", 404),
        ("organisation admin a", 404),
        ("city", 200),
    ],
)
def test_who_may_open_a_communitys_handbook(client, world, who, status):
    users = {
        "member a": world.a.member.user,
        "staff a": world.a.staff,
        "staff b": world.b.staff,
        "organisation admin a": world.organisation_admin,
        "city": world.city,
    }
    client.force_login(users[who])
    assert client.get(handbook_url(world.a.community)).status_code == status


def test_handbook_holds_contact_teams_posts_members_and_notes(client, world):
    side = world.a
    community = side.community
    community.address = "麒麟区南宁北路 18 号"
    community.contact_phone = "0874-3123456"
    community.window_hours = "工作日 9:00—17:00"
    community.save()
    Team.objects.filter(pk=side.team.pk).update(leader=side.member)
    client.force_login(side.staff)
    page = client.get(handbook_url(community)).content.decode()
    assert f"{community.title}联系手册" in page
    assert "南宁北路 18 号" in page and "0874-3123456" in page and "9:00—17:00" in page
    assert side.team.name in page and "队长：" + side.member.real_name in page
    assert side.post.title in page  # with its current pledger
    assert page.count(side.member.real_name) >= 3  # leader, team member, pledger, reported
    assert world.organisation_a.name in page and f"{community.title}法律咨询" in page
    assert side.member.phone in page  # the community's staff see phones
    assert "随记随访" in page and page.count("record-notes__line") >= 10
    # Nothing of the other community.
    assert world.b.member.real_name not in page and world.b.team.name not in page
    assert world.b.post.title not in page


def test_handbook_lists_only_current_accepted_pledges_and_confirmed_members(client, world):
    side = world.a
    with fixture_states():
        PostPledge.objects.filter(pk=side.pledge.pk).update(
            ends_on=timezone.localdate() - datetime.timedelta(days=1),
            starts_on=timezone.localdate() - datetime.timedelta(days=30),
        )
        pending = factories.ReportFactory(
            community=side.community, member__real_name="待确认的党员"
        )
    client.force_login(side.staff)
    page = client.get(handbook_url(side.community)).content.decode()
    assert "目前无人领岗" in page
    assert pending.member.real_name not in page


def test_handbook_queries_are_bounded(client, world, django_assert_max_num_queries):
    side = world.a
    today = timezone.localdate()
    for n in range(5):
        member = factories.MemberFactory(real_name=f"报到党员{n}")
        member.skills.add(factories.SkillFactory(name=f"特长{n}"))
        with fixture_states():
            Report.objects.create(
                member=member,
                community=side.community,
                kind=Report.Kind.VOLUNTARY,
                state=Report.State.CONFIRMED,
            )
            team = Team.objects.create(name=f"服务队伍{n}", community=side.community, leader=member)
            TeamMembership.objects.create(
                team=team, member=member, state=TeamMembership.State.APPROVED
            )
            post = factories.PostFactory(community=side.community, title=f"岗位{n}")
            PostPledge.objects.create(
                post=post,
                member=member,
                commitment="每月值守",
                starts_on=today,
                ends_on=today + datetime.timedelta(days=30),
                state=PostPledge.State.ACCEPTED,
            )
    client.force_login(world.city)
    with django_assert_max_num_queries(18):
        response = client.get(handbook_url(side.community))
    page = response.content.decode()
    assert "报到党员4" in page and "服务队伍4" in page and "岗位4" in page and "特长4" in page


def test_my_service_links_to_the_printable_service_file(client, world):
    client.force_login(world.a.member.user)
    page = client.get(reverse("service:my_service")).content.decode()
    assert file_url(world.a.member) in page


def test_member_inspect_page_in_the_admin_links_to_the_service_file(client, world):
    client.force_login(world.a.staff)
    response = client.get(url("member", "inspect", world.a.member.pk))
    assert response.status_code == 200
    assert file_url(world.a.member) in response.content.decode()


def test_community_page_admin_header_offers_the_handbook_to_its_staff(client, world):
    edit_a = reverse("wagtailadmin_pages:edit", args=[world.a.community.pk])
    client.force_login(world.a.staff)
    assert handbook_url(world.a.community) in client.get(edit_a).content.decode()
    client.force_login(world.b.staff)
    explore_b = reverse("wagtailadmin_explore", args=[world.b.community.pk])
    page = client.get(explore_b).content.decode()
    assert handbook_url(world.b.community) in page
    assert handbook_url(world.a.community) not in page
