"""Who a letter goes to, and who may address whom: the city anyone; an organisation its own
members and teams; a community those reported to it, its teams and its activities' sign-ups.
A forbidden choice is refused with a clear error and sends nothing."""

import pytest

from tests import factories
from volunteering.errors import ServiceError
from volunteering.letters import selectors
from volunteering.letters.models import Delivery, Letter
from volunteering.letters.viewsets import letters_viewset
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership

Audience = Letter.Audience
Sender = Letter.Sender


def members_of(letter) -> set:
    return set(selectors.audience_members(letter).values_list("real_name", flat=True))


def test_all_members_city_wide(reported, elsewhere):
    letter = factories.LetterFactory(sender=Sender.CITY, audience=Audience.ALL)
    assert members_of(letter) == {"杨建国", "周红", "李四"}


def test_an_organisations_members(member, other_member):
    letter = factories.LetterFactory(
        sender=Sender.ORGANISATION,
        organisation=member.organisation,
        audience=Audience.ORGANISATION,
        audience_organisation=member.organisation,
    )
    assert members_of(letter) == {"杨建国"}


def test_members_reported_to_a_community_not_withdrawn(community, reported, elsewhere):
    withdrawn = factories.MemberFactory(real_name="撤回者")
    factories.ReportFactory(member=withdrawn, community=community, state="withdrawn")
    letter = factories.LetterFactory(community=community, audience_community=community)
    assert members_of(letter) == {"杨建国", "周红"}


def test_a_teams_members(community, team, member, other_member):
    factories.TeamMembershipFactory(team=team, member=member, state=TeamMembership.State.APPROVED)
    factories.TeamMembershipFactory(
        team=team, member=other_member, state=TeamMembership.State.REQUESTED
    )
    letter = factories.LetterFactory(
        community=community, audience=Audience.TEAM, audience_team=team
    )
    assert members_of(letter) == {"杨建国"}


def test_an_activitys_sign_ups(community, member, other_member):
    activity = factories.ActivityPageFactory(parent=community)
    factories.SignUpFactory(activity=activity, member=member, state=SignUp.State.APPROVED)
    factories.SignUpFactory(activity=activity, member=other_member, state=SignUp.State.CANCELLED)
    letter = factories.LetterFactory(
        community=community, audience=Audience.ACTIVITY, audience_activity=activity
    )
    assert members_of(letter) == {"杨建国"}


def test_closed_accounts_receive_nothing(reported):
    reported[1].user.is_active = False
    reported[1].user.save()
    letter = factories.LetterFactory(sender=Sender.CITY, audience=Audience.ALL)
    assert members_of(letter) == {"杨建国"}


# --- Who may address whom ----------------------------------------------------------------------


def refused(letter, user) -> str:
    with pytest.raises(ServiceError) as error:
        factories.send_letter(letter=letter, by=user)
    assert not Delivery.objects.exists()
    return str(error.value.message)


def test_community_staff_cannot_address_another_community(
    community, other_community, staff, elsewhere
):
    letter = factories.LetterFactory(community=community, audience_community=other_community)
    assert "不能给所选的收信人发信" in refused(letter, staff)


def test_community_staff_cannot_send_as_another_community(other_community, staff, elsewhere):
    letter = factories.LetterFactory(community=other_community, audience_community=other_community)
    assert refused(letter, staff) == selectors.SENDER_NOT_ALLOWED


def test_community_staff_cannot_address_everyone(community, staff, reported):
    letter = factories.LetterFactory(community=community, audience=Audience.ALL)
    assert "全市在职党员" in refused(letter, staff)


def test_community_staff_cannot_address_another_communitys_activity(
    community, other_community, staff, member
):
    activity = factories.ActivityPageFactory(parent=other_community)
    factories.SignUpFactory(activity=activity, member=member, state=SignUp.State.APPROVED)
    letter = factories.LetterFactory(
        community=community, audience=Audience.ACTIVITY, audience_activity=activity
    )
    assert "活动的报名者" in refused(letter, staff)


def test_organisation_admin_addresses_only_their_organisation(member, other_member, org_admin):
    letter = factories.LetterFactory(
        sender=Sender.ORGANISATION,
        organisation=member.organisation,
        audience=Audience.ORGANISATION,
        audience_organisation=other_member.organisation,
    )
    assert "不能给所选的收信人发信" in refused(letter, org_admin)
    letter.audience_organisation = member.organisation
    letter.save()
    assert factories.send_letter(letter=letter, by=org_admin) == 1


def test_a_member_cannot_send_as_the_city(member, reported):
    letter = factories.LetterFactory(sender=Sender.CITY, audience=Audience.ALL, live=True)
    assert refused(letter, member.user) == selectors.SENDER_NOT_ALLOWED


def test_a_missing_target_is_named(community, staff):
    letter = factories.LetterFactory(community=community, audience=Audience.TEAM)
    assert refused(letter, staff) == "请选择收信的服务队。"


def test_the_form_offers_only_what_the_user_may_address(community, other_community):
    user = factories.community_staff(community, "qilin-admin")
    form = letters_viewset.get_form_class()(for_user=user)
    assert [value for value, _label in form.fields["sender"].choices if value] == ["community"]
    assert Audience.ALL not in dict(form.fields["audience"].choices)
    assert list(form.fields["audience_community"].queryset) == [community]
