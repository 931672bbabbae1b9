"""Needs (服务需求) and claims (认领) through the services: places, periods, who decides, and
matching needs with members both ways (the selectors)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests import factories
from tests.volunteering.menu.support import confirmed_member
from tests.volunteering.support import refused
from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.models import Need, NeedClaim
from volunteering.menu.selectors import (
    community_service_menu,
    members_matching_need,
    needs_matching_member,
)
from workflows.statemachine import TransitionConflict

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


def test_only_the_communitys_staff_confirm_and_decline_needs_a_reason(
    community, staff, other_staff
):
    need = factories.NeedFactory(community=community)
    claim = menu.claim_create(need=need, member=factories.MemberFactory())
    with pytest.raises(PermissionDenied):
        menu.claim_confirm(claim=claim, by=other_staff)
    with pytest.raises(PermissionDenied):
        menu.claim_confirm(claim=claim, by=claim.member.user)
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
