"""The volunteering demo content that `load_demo` adds: re-runnable without duplicates, with
sign-ups in every state and an activity open for sign-up with places left."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from portal import demo as portal_demo
from volunteering.activities.models import ActivityPage, Theme
from volunteering.demo.letters import CITY_LETTER_TITLE
from volunteering.demo.reporting import RETURN_REASON
from volunteering.letters.models import Delivery, Letter
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.people.models import Member, Organisation, Skill
from volunteering.reporting.models import Report, ServiceFile
from volunteering.scopes import communities_managed_by
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import signup_refusal
from volunteering.signups.services import places_held
from volunteering.teams.models import Team, TeamMembership

MODELS = (
    Skill,
    Organisation,
    Member,
    Report,
    ServiceFile,
    Need,
    NeedClaim,
    Team,
    TeamMembership,
    Post,
    PostPledge,
    Theme,
    ActivityPage,
    SignUp,
    Letter,
    Delivery,
)


@pytest.fixture
def loaded(db):
    call_command("load_demo", force=True)


def snapshot() -> dict:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    histories = {
        f"{model.__name__} history": model.history.count()
        for model in (Report, NeedClaim, TeamMembership, PostPledge, SignUp)
    }
    return {
        **counts,
        **histories,
        "revisions": Revision.objects.count(),
        "activity dates": sorted(ActivityPage.objects.values_list("slug", "starts_at")),
        "sign-up states": sorted(SignUp.objects.values_list("pk", "state")),
    }


def test_running_load_demo_twice_duplicates_and_moves_nothing(loaded):
    before = snapshot()
    call_command("load_demo", force=True)
    assert snapshot() == before


def test_the_demo_has_sign_ups_in_every_state_and_an_open_activity_with_places(loaded):
    states = set(SignUp.objects.values_list("state", flat=True))
    assert states == set(SignUp.State.values)
    member = Member.objects.get(user__username="member2")
    open_with_places = [
        activity
        for activity in ActivityPage.objects.live().filter(starts_at__gt=timezone.now())
        if places_held(activity) < activity.capacity
        and signup_refusal(activity=activity, member=member) is None
    ]
    assert {a.get_parent().title for a in open_with_places} >= {"麒麟社区", "方城社区"}
    # Attended sign-ups are in activities already held, and carry hours for the work record.
    attended = SignUp.objects.filter(state=SignUp.State.ATTENDED).select_related("activity")
    assert all(s.activity.starts_at < timezone.now() and s.hours for s in attended)


def test_the_demo_members_log_in_and_have_member_records(client, loaded):
    usernames = ["member"] + [f"member{n}" for n in range(2, 10)]
    assert set(Member.objects.values_list("user__username", flat=True)) == set(usernames)
    assert Member.objects.get(user__username="member9").real_name == "阿依古丽·买买提"
    for username in usernames:
        assert client.login(username=username, password=portal_demo.DEMO_PASSWORD), username
    assert {u.username for u in portal_demo.DEMO_USERS} >= set(usernames)
    assert "在职党员（曲靖市司法局）" in [str(u.role) for u in portal_demo.DEMO_USERS]


def test_the_demo_work_went_through_the_workflows_in_every_state(loaded):
    assert set(Report.objects.values_list("state", flat=True)) == set(Report.State.values)
    assert set(NeedClaim.objects.values_list("state", flat=True)) == set(NeedClaim.State.values)
    assert {"accepted", "declined", "pending", "withdrawn"} <= set(
        PostPledge.objects.values_list("state", flat=True)
    )
    assert set(TeamMembership.objects.values_list("state", flat=True)) == set(
        TeamMembership.State.values
    )
    returned = Report.objects.get(state=Report.State.RETURNED)
    assert returned.history.first().history_reason == RETURN_REASON
    assert ServiceFile.objects.count() == Report.objects.filter(state="confirmed").count()
    legal = Team.objects.get(name="法律援助服务队")
    assert legal.leader.real_name == "李明华"
    assert Organisation.objects.get(name="曲靖市司法局").linked_community.title == "方家园社区"
    assert Need.objects.filter(community__title="麒麟社区").count() >= 3
    assert Theme.objects.filter(title="党员为居民服务，党旗在社区飘扬").exists()


def test_demo_staff_manage_their_own_community_and_the_privacy_notice_exists(client, loaded):
    users = get_user_model().objects
    assert [c.title for c in communities_managed_by(users.get(username="staff"))] == ["麒麟社区"]
    assert [c.title for c in communities_managed_by(users.get(username="staff2"))] == ["方城社区"]
    privacy = Page.objects.get(slug="privacy")
    assert privacy.live and privacy.title == "隐私声明"
    client.login(username="member", password=portal_demo.DEMO_PASSWORD)
    assert 'href="/privacy/"' in client.get("/my/profile/").content.decode()
    assert client.get("/my/").status_code == 200


def test_the_demo_has_a_city_activity_listing_and_an_organisation_admin(client, loaded):
    from volunteering.activities.models import ActivityIndexPage
    from volunteering.scopes import organisations_managed_by

    listing = ActivityIndexPage.objects.get(slug="activities")
    assert listing.live and listing.show_in_menus
    assert client.get(listing.url).status_code == 200

    orgadmin = get_user_model().objects.get(username="orgadmin")
    assert [o.name for o in organisations_managed_by(orgadmin)] == ["曲靖市司法局"]
    assert client.login(username="orgadmin", password="demo1234")
    assert client.get("/admin/").status_code == 200


def test_the_city_letter_was_approved_and_reached_every_demo_members_inbox(loaded):
    letter = Letter.objects.get(title=CITY_LETTER_TITLE)
    assert letter.live and letter.sent_at is not None
    assert letter.workflow_states.filter(status="approved").exists()
    members = Member.objects.filter(user__is_active=True)
    assert set(letter.deliveries.values_list("member_id", flat=True)) == set(
        members.values_list("pk", flat=True)
    )
