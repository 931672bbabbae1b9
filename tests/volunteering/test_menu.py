"""The service menu (服务菜单): claims and the places of needs, teams, pledges, and matching
needs with members both ways — through the services, the selectors and the public pages."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, connections
from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.models import Need, NeedClaim, PostPledge
from volunteering.menu.selectors import (
    community_service_menu,
    members_matching_need,
    needs_matching_member,
)
from volunteering.reporting.models import Report
from volunteering.teams.models import TeamMembership
from volunteering.teams.services import (
    team_join_approve,
    team_join_decline,
    team_join_request,
    team_leave,
)
from workflows.statemachine import TransitionConflict


@pytest.fixture
def community(site_tree):
    return site_tree.community


@pytest.fixture
def staff(community):
    return factories.make_staff(community, username="qilin-staff")


@pytest.fixture
def skills(db):
    names = ("法律咨询", "医疗保健", "文明引导", "维持秩序")
    return {name: factories.SkillFactory(name=name) for name in names}


def confirmed_member(community, *skill_list, **fields):
    member = factories.MemberFactory(**fields)
    member.skills.set(skill_list)
    factories.ReportFactory(member=member, community=community, state=Report.State.CONFIRMED)
    return member


def refused(call, **kwargs) -> str:
    with pytest.raises(errors.ServiceError) as excinfo:
        call(**kwargs)
    return str(excinfo.value.message)


# --- Needs ------------------------------------------------------------------------------------


def test_staff_publish_a_need_with_skills_and_others_may_not(community, staff, skills):
    need = menu.need_create(
        community=community,
        title="为独居老人代购药品",
        by=staff,
        places=3,
        skills=[skills["医疗保健"]],
    )
    assert need.state == Need.State.OPEN
    assert list(need.skills.all()) == [skills["医疗保健"]]
    outsider = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        menu.need_create(community=community, title="别的社区的人", by=outsider)
    assert Need.objects.count() == 1


def test_a_need_refuses_no_places_and_a_period_out_of_order(community, staff):
    assert refused(menu.need_create, community=community, title="x", by=staff, places=0) == str(
        errors.NEED_PLACES_INVALID
    )
    today = timezone.localdate()
    assert refused(
        menu.need_create,
        community=community,
        title="x",
        by=staff,
        starts_on=today,
        ends_on=today - datetime.timedelta(days=1),
    ) == str(errors.NEED_PERIOD_INVALID)
    assert not Need.objects.exists()


def test_closing_a_need_goes_through_the_workflow_and_stops_claims(community, staff):
    need = factories.NeedFactory(community=community)
    menu.need_close(need=need, by=staff, reason="已有人完成")
    need.refresh_from_db()
    assert need.state == Need.State.CLOSED
    closed = need.history.first()
    assert (closed.history_transition, closed.history_reason) == ("close", "已有人完成")
    member = factories.MemberFactory()
    assert refused(menu.claim_create, need=need, member=member) == str(errors.NEED_NOT_OPEN)


# --- Claims (认领) -----------------------------------------------------------------------------


def test_a_member_claims_a_need_once_while_the_claim_is_live(community):
    need = factories.NeedFactory(community=community)
    member = factories.MemberFactory()
    claim = menu.claim_create(need=need, member=member)
    assert claim.state == NeedClaim.State.PENDING
    assert refused(menu.claim_create, need=need, member=member) == str(errors.NEED_ALREADY_CLAIMED)
    menu.claim_withdraw(claim=claim, by=member.user)
    again = menu.claim_create(need=need, member=member)
    assert again.pk != claim.pk
    assert NeedClaim.objects.filter(need=need, member=member).count() == 2


def test_a_need_whose_places_are_all_confirmed_refuses_further_confirmations(community, staff):
    need = factories.NeedFactory(community=community, places=2)
    claims = [menu.claim_create(need=need, member=factories.MemberFactory()) for _ in range(3)]
    menu.claim_confirm(claim=claims[0], by=staff)
    menu.claim_confirm(claim=claims[1], by=staff)
    message = refused(menu.claim_confirm, claim=claims[2], by=staff)
    assert message == str(errors.NEED_FULL % {"places": 2})
    claims[2].refresh_from_db()
    assert claims[2].state == NeedClaim.State.PENDING
    # and nobody new may claim it either
    assert refused(menu.claim_create, need=need, member=factories.MemberFactory()) == message


def test_a_withdrawn_confirmed_claim_frees_its_place(community, staff):
    need = factories.NeedFactory(community=community, places=1)
    first = menu.claim_create(need=need, member=factories.MemberFactory())
    second = menu.claim_create(need=need, member=factories.MemberFactory())
    menu.claim_confirm(claim=first, by=staff)
    menu.claim_withdraw(claim=first, by=first.member.user)
    menu.claim_confirm(claim=second, by=staff)
    assert NeedClaim.objects.get(pk=second.pk).state == NeedClaim.State.CONFIRMED


def test_only_the_communitys_staff_confirm_and_decline_needs_a_reason(community, site_tree):
    need = factories.NeedFactory(community=community)
    claim = menu.claim_create(need=need, member=factories.MemberFactory())
    other_staff = factories.make_staff(site_tree.other_community, username="fangcheng-staff")
    with pytest.raises(PermissionDenied):
        menu.claim_confirm(claim=claim, by=other_staff)
    with pytest.raises(PermissionDenied):
        menu.claim_confirm(claim=claim, by=claim.member.user)
    staff = factories.make_staff(community, username="qilin-staff")
    with pytest.raises(ValidationError):
        menu.claim_decline(claim=claim, by=staff, reason="  ")
    menu.claim_decline(claim=claim, by=staff, reason="这项需求需要医疗资质")
    assert NeedClaim.objects.get(pk=claim.pk).state == NeedClaim.State.DECLINED


def test_completing_a_claim_records_its_outcome(community, staff):
    need = factories.NeedFactory(community=community)
    claim = menu.claim_create(need=need, member=factories.MemberFactory())
    with pytest.raises(TransitionConflict):
        menu.claim_complete(claim=claim, by=staff, outcome="完成")  # not confirmed yet
    menu.claim_confirm(claim=claim, by=staff)
    menu.claim_complete(claim=claim, by=staff, outcome="为 3 户老人代购药品 5 次")
    claim.refresh_from_db()
    assert claim.state == NeedClaim.State.DONE
    assert claim.outcome == "为 3 户老人代购药品 5 次"
    assert claim.history.first().history_user == staff


def test_a_member_cannot_withdraw_someone_elses_claim(community):
    claim = menu.claim_create(
        need=factories.NeedFactory(community=community), member=factories.MemberFactory()
    )
    with pytest.raises(PermissionDenied):
        menu.claim_withdraw(claim=claim, by=factories.MemberFactory().user)


def test_claims_past_the_needs_period_are_refused(community):
    need = factories.NeedFactory(
        community=community, ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert refused(menu.claim_create, need=need, member=factories.MemberFactory()) == str(
        errors.NEED_ENDED
    )


# --- Teams (服务队) ----------------------------------------------------------------------------


@pytest.fixture
def team(community):
    leader = factories.MemberFactory(real_name="李队长")
    return factories.TeamFactory(community=community, name="法律援助服务队", leader=leader)


def test_the_leader_approves_a_request_to_join(team):
    member = factories.MemberFactory()
    membership = team_join_request(team=team, member=member)
    assert membership.state == TeamMembership.State.REQUESTED
    assert refused(team_join_request, team=team, member=member) == str(
        errors.TEAM_ALREADY_REQUESTED
    )
    team_join_approve(membership=membership, by=team.leader.user)
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.APPROVED
    assert refused(team_join_request, team=team, member=member) == str(errors.TEAM_ALREADY_MEMBER)


def test_staff_may_decide_on_joining_but_other_members_may_not(team, staff):
    first = team_join_request(team=team, member=factories.MemberFactory())
    second = team_join_request(team=team, member=factories.MemberFactory())
    with pytest.raises(PermissionDenied):
        team_join_approve(membership=first, by=second.member.user)
    team_join_decline(membership=first, by=staff, reason="本队只收有律师执业证的党员")
    assert TeamMembership.objects.get(pk=first.pk).state == TeamMembership.State.DECLINED


def test_a_member_leaves_a_team_and_may_ask_again(team):
    member = factories.MemberFactory()
    membership = team_join_request(team=team, member=member)
    team_join_approve(membership=membership, by=team.leader.user)
    team_leave(membership=membership, by=member.user)
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.LEFT
    assert team_join_request(team=team, member=member).pk != membership.pk


# --- Pledges (领岗承诺) ------------------------------------------------------------------------


@pytest.fixture
def post(community):
    return factories.PostFactory(community=community, title="楼栋联络员")


def pledge_kwargs(**overrides):
    today = timezone.localdate()
    values = {
        "commitment": "每周六上午走访 3 号楼住户，收集意见建议。",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=180),
    }
    return {**values, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"commitment": "   "}, errors.PLEDGE_COMMITMENT_REQUIRED),
        ({"commitment": "很" * 1001}, errors.PLEDGE_COMMITMENT_TOO_LONG % {"limit": 1000}),
        (
            {"starts_on": timezone.localdate() - datetime.timedelta(days=1)},
            errors.PLEDGE_STARTS_IN_PAST,
        ),
        (
            {"ends_on": timezone.localdate() - datetime.timedelta(days=1)},
            errors.PLEDGE_PERIOD_INVALID,
        ),
        (
            {"ends_on": timezone.localdate() + datetime.timedelta(days=400)},
            errors.PLEDGE_PERIOD_TOO_LONG,
        ),
    ],
)
def test_a_pledge_with_a_bad_commitment_or_period_is_refused(post, overrides, message):
    member = factories.MemberFactory()
    kwargs = pledge_kwargs(**overrides)
    assert refused(menu.pledge_create, post=post, member=member, **kwargs) == str(message)
    assert not PostPledge.objects.exists()


def test_staff_accept_a_pledge_and_a_second_one_to_the_same_post_is_refused(post, staff):
    member = factories.MemberFactory()
    pledge = menu.pledge_create(post=post, member=member, **pledge_kwargs())
    assert pledge.state == PostPledge.State.PENDING
    assert refused(menu.pledge_create, post=post, member=member, **pledge_kwargs()) == str(
        errors.PLEDGE_DUPLICATE
    )
    with pytest.raises(PermissionDenied):
        menu.pledge_accept(pledge=pledge, by=member.user)
    menu.pledge_accept(pledge=pledge, by=staff)
    menu.pledge_fulfil(pledge=pledge, by=staff)
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.FULFILLED


def test_a_declined_pledge_needs_a_reason_and_the_member_may_withdraw_theirs(post, staff):
    member = factories.MemberFactory()
    pledge = menu.pledge_create(post=post, member=member, **pledge_kwargs())
    with pytest.raises(ValidationError):
        menu.pledge_decline(pledge=pledge, by=staff, reason="")
    menu.pledge_withdraw(pledge=pledge, by=member.user)
    assert PostPledge.objects.get(pk=pledge.pk).state == PostPledge.State.WITHDRAWN


# --- Matching both ways --------------------------------------------------------------------


def test_a_member_sees_matching_needs_in_their_communities_first_then_by_matching_skills(
    site_tree, skills
):
    home, other = site_tree.community, site_tree.other_community
    member = confirmed_member(home, skills["法律咨询"], skills["文明引导"])
    law_and_order = factories.NeedFactory(
        community=other, title="外社区：两项相符", skills=[skills["法律咨询"], skills["文明引导"]]
    )
    one_home = factories.NeedFactory(
        community=home, title="本社区：一项相符", skills=[skills["法律咨询"]]
    )
    two_home = factories.NeedFactory(
        community=home,
        title="本社区：两项相符",
        skills=[skills["法律咨询"], skills["文明引导"], skills["维持秩序"]],
    )
    anyone_home = factories.NeedFactory(community=home, title="本社区：不限特长")
    factories.NeedFactory(community=home, title="不相符", skills=[skills["医疗保健"]])
    closed = factories.NeedFactory(community=home, title="已结束", skills=[skills["法律咨询"]])
    menu.need_close(need=closed, by=factories.make_staff(home))

    titles = [n.title for n in needs_matching_member(member=member)]
    assert titles == [
        two_home.title,
        one_home.title,
        anyone_home.title,
        law_and_order.title,
    ]


def test_staff_see_the_confirmed_members_whose_skills_match_a_need_best_first(site_tree, skills):
    community = site_tree.community
    need = factories.NeedFactory(
        community=community, skills=[skills["法律咨询"], skills["文明引导"]]
    )
    both = confirmed_member(community, skills["法律咨询"], skills["文明引导"], real_name="甲")
    one = confirmed_member(community, skills["文明引导"], real_name="乙")
    confirmed_member(community, skills["医疗保健"], real_name="不相符")
    confirmed_member(site_tree.other_community, skills["法律咨询"], real_name="外社区")
    pending = factories.MemberFactory(real_name="待确认")
    pending.skills.set([skills["法律咨询"]])
    factories.ReportFactory(member=pending, community=community)
    menu.claim_create(need=need, member=one)

    ranked = members_matching_need(need=need)
    assert [(m.real_name, m.matches, m.has_claimed) for m in ranked] == [
        (both.real_name, 2, False),
        (one.real_name, 1, True),
    ]


def test_matching_queries_do_not_grow_with_needs_or_members(
    site_tree, skills, django_assert_max_num_queries
):
    community = site_tree.community
    member = confirmed_member(community, skills["法律咨询"])
    need = factories.NeedFactory(community=community, skills=[skills["法律咨询"]])
    for n in range(6):
        factories.NeedFactory(community=community, skills=[skills["法律咨询"]])
        confirmed_member(community, skills["法律咨询"], real_name=f"党员{n}")
    with django_assert_max_num_queries(5):
        assert len(needs_matching_member(member=member)) == 7
    with django_assert_max_num_queries(4):
        assert len(members_matching_need(need=need)) == 7
    with django_assert_max_num_queries(6):
        menu_ = community_service_menu(community=community, member=member)
        assert len(menu_.needs) == 7


# --- The community page's service menu ---------------------------------------------------


def test_the_community_page_lists_open_needs_posts_and_teams(client, community, post, team):
    factories.NeedFactory(community=community, title="帮助居民调解邻里纠纷", places=2)
    html = client.get(community.url).content.decode()
    for text in ("服务菜单", "帮助居民调解邻里纠纷", "还差 2 人", "楼栋联络员", "法律援助服务队"):
        assert text in html, text
    assert "登录后认领" in html


def test_the_community_pages_menu_queries_do_not_grow_with_its_rows(client, community, skills):
    from django.test.utils import CaptureQueriesContext

    member = factories.MemberFactory()
    client.force_login(member.user)

    def add_rows():
        need = factories.NeedFactory(community=community, skills=list(skills.values()))
        menu.claim_create(need=need, member=member)
        post = factories.PostFactory(community=community)
        menu.pledge_create(post=post, member=member, **pledge_kwargs())
        team = factories.TeamFactory(community=community, leader=factories.MemberFactory())
        team_join_request(team=team, member=member)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(community.url).status_code == 200
        return len(ctx.captured_queries)

    add_rows()
    count()  # warm the per-process caches
    before = count()
    for _ in range(3):
        add_rows()
    count()  # new rows invalidate the cached figures; their fixed cost is test_figures' concern
    assert count() == before


def test_a_member_claims_a_need_from_the_community_page(client, community):
    need = factories.NeedFactory(community=community, title="帮助居民调解邻里纠纷")
    member = factories.MemberFactory()
    client.force_login(member.user)
    assert "我来认领" in client.get(community.url).content.decode()
    response = client.post(
        reverse("service:claim_create", args=[need.pk]), {"next": community.url}, follow=True
    )
    assert response.redirect_chain[-1][0] == community.url
    html = response.content.decode()
    assert "请等待社区工作人员确认" in html
    assert "待确认" in html
    assert NeedClaim.objects.filter(need=need, member=member).count() == 1
    again = client.post(reverse("service:claim_create", args=[need.pk]), follow=True)
    assert str(errors.NEED_ALREADY_CLAIMED) in again.content.decode()
    assert NeedClaim.objects.filter(need=need, member=member).count() == 1


def test_claiming_signed_out_leads_to_the_login_page(client, community):
    need = factories.NeedFactory(community=community)
    response = client.post(reverse("service:claim_create", args=[need.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert not NeedClaim.objects.exists()


def test_a_member_pledges_through_the_post_page_and_sees_errors(client, post):
    member = factories.MemberFactory()
    client.force_login(member.user)
    url = reverse("service:post_detail", args=[post.pk])
    today = timezone.localdate()
    bad = client.post(
        url,
        {
            "commitment": "认真履职",
            "starts_on": today,
            "ends_on": today.replace(year=today.year - 1),
        },
    )
    assert bad.status_code == 200
    assert str(errors.PLEDGE_PERIOD_INVALID) in bad.content.decode()
    assert not PostPledge.objects.exists()
    good = client.post(
        url, {"commitment": "认真履职", "starts_on": today, "ends_on": today}, follow=True
    )
    assert "领岗承诺已提交" in good.content.decode()
    assert PostPledge.objects.get().member == member


def test_a_member_asks_to_join_a_team_and_the_leader_approves_on_the_team_page(client, team):
    member = factories.MemberFactory(real_name="王小明")
    client.force_login(member.user)
    client.post(reverse("service:team_join", args=[team.pk]))
    membership = TeamMembership.objects.get(member=member)
    client.force_login(team.leader.user)
    page = client.get(reverse("service:team_detail", args=[team.pk])).content.decode()
    assert "加入申请" in page and "王小明" in page
    client.post(reverse("service:team_join_approve", args=[membership.pk]))
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.APPROVED


def test_a_member_cannot_approve_requests_to_a_team_they_do_not_lead(client, team):
    membership = team_join_request(team=team, member=factories.MemberFactory())
    intruder = factories.MemberFactory()
    client.force_login(intruder.user)
    page = client.get(reverse("service:team_detail", args=[team.pk])).content.decode()
    assert "加入申请" not in page
    response = client.post(reverse("service:team_join_approve", args=[membership.pk]), follow=True)
    assert response.status_code == 200
    assert "您没有权限" in response.content.decode()
    assert TeamMembership.objects.get(pk=membership.pk).state == TeamMembership.State.REQUESTED


def test_the_need_page_shows_places_and_a_closed_need_cannot_be_claimed(client, community):
    need = factories.NeedFactory(community=community, title="陪伴空巢老人", places=3)
    html = client.get(reverse("service:need_detail", args=[need.pk])).content.decode()
    assert "陪伴空巢老人" in html and "3 人（已确认 0 人）" in html
    staff = factories.make_staff(community)
    menu.need_close(need=need, by=staff)
    member = factories.MemberFactory()
    client.force_login(member.user)
    html = client.get(reverse("service:need_detail", args=[need.pk])).content.decode()
    assert "已经结束认领" in html
    response = client.post(reverse("service:claim_create", args=[need.pk]), follow=True)
    assert str(errors.NEED_NOT_OPEN) in response.content.decode()
    assert not NeedClaim.objects.exists()


# --- At once, on PostgreSQL's row locks ---------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real row-lock race needs PostgreSQL (SQLite runs write transactions one by one)",
)


def all_at_once(calls) -> tuple[int, list[str]]:
    """Run each call in its own thread and connection, all released together; returns how
    many succeeded and the messages of the refusals."""
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    done, refusals = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
            with lock:
                done.append(1)
        except errors.ServiceError as exc:
            with lock:
                refusals.append(str(exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return len(done), refusals


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirmations_at_once_never_exceed_a_needs_places(site_tree):
    community = site_tree.community
    staff = factories.make_staff(community, username="qilin-staff")
    need = factories.NeedFactory(community=community, places=2)
    claims = [menu.claim_create(need=need, member=factories.MemberFactory()) for _ in range(8)]
    confirmed, refusals = all_at_once(
        [lambda claim=claim: menu.claim_confirm(claim=claim, by=staff) for claim in claims]
    )
    assert confirmed == 2
    assert refusals == [str(errors.NEED_FULL % {"places": 2})] * 6
    assert need.claims.filter(state=NeedClaim.State.CONFIRMED).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pressing_claim_join_and_pledge_many_times_at_once_makes_one_each(site_tree):
    community = site_tree.community
    member = factories.MemberFactory()
    need = factories.NeedFactory(community=community)
    team = factories.TeamFactory(community=community)
    post = factories.PostFactory(community=community)
    for call in (
        lambda: menu.claim_create(need=need, member=member),
        lambda: team_join_request(team=team, member=member),
        lambda: menu.pledge_create(post=post, member=member, **pledge_kwargs()),
    ):
        made, refusals = all_at_once([call] * 6)
        assert (made, len(refusals)) == (1, 5)
    assert NeedClaim.objects.filter(member=member).count() == 1
    assert TeamMembership.objects.filter(member=member).count() == 1
    assert PostPledge.objects.filter(member=member).count() == 1
