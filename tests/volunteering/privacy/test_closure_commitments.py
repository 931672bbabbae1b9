"""Confirming a closure ends what the member still had waiting: sign-ups to activities not yet
begun are cancelled through the sign-ups' cancellation (the first waitlisted member moves up,
even past the cancellation deadline), and reports, claims, pledges and team requests waiting
for staff are withdrawn; each with the system reason 账号已注销 and the confirming admin in its
history. What already happened stays."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_create
from volunteering.teams.models import TeamMembership


@pytest.fixture
def waiting(community, member):
    soon = timezone.now() + datetime.timedelta(days=2)
    full = factories.ActivityPageFactory(
        parent=community,
        capacity=1,
        starts_at=soon,
        cancel_deadline=timezone.now() - datetime.timedelta(hours=1),  # past: still cancelled
    )
    later = factories.ActivityPageFactory(parent=community, needs_approval=True)
    past = factories.ActivityPageFactory(
        parent=community,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    mine, _created = signup_create(activity=full, member=member)
    queued, _created = signup_create(activity=full, member=factories.MemberFactory())
    pending, _created = signup_create(activity=later, member=member)
    attended = factories.SignUpFactory(activity=past, member=member, state="attended")
    need = factories.NeedFactory(community=community)
    post = factories.PostFactory(community=community)
    team = factories.TeamFactory(community=community)
    return {
        "mine": mine,
        "queued": queued,
        "pending": pending,
        "attended": attended,
        "report": factories.ReportFactory(member=member, community=community, state="pending"),
        "claim": factories.NeedClaimFactory(need=need, member=member, state="pending"),
        "pledge": factories.PostPledgeFactory(post=post, member=member, state="pending"),
        "membership": factories.TeamMembershipFactory(team=team, member=member, state="requested"),
    }


def confirm_closure(client, member, admin):
    closure = factories.AccountClosureFactory(member=member)
    client.force_login(admin)
    url = reverse("volunteering_accountclosure:action", args=(closure.pk, "confirm"))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert AccountClosure.objects.get(pk=closure.pk).state == "confirmed"


def test_confirming_a_closure_ends_what_was_waiting(client, member, org_admin, waiting):
    assert (waiting["mine"].state, waiting["queued"].state) == ("approved", "waitlisted")
    confirm_closure(client, member, org_admin)

    def state(name):
        row = waiting[name]
        return type(row).objects.get(pk=row.pk).state

    assert state("mine") == SignUp.State.CANCELLED
    assert state("queued") == SignUp.State.APPROVED  # the freed place went to the waitlist
    assert state("pending") == SignUp.State.CANCELLED
    assert state("attended") == SignUp.State.ATTENDED  # what happened stays
    assert state("report") == Report.State.WITHDRAWN
    assert state("claim") == NeedClaim.State.WITHDRAWN
    assert state("pledge") == PostPledge.State.WITHDRAWN
    assert state("membership") == TeamMembership.State.LEFT
    for name in ("mine", "pending", "report", "claim", "pledge", "membership"):
        row = waiting[name].history.order_by("-history_id").first()
        assert row.history_transition == "close_account", name
        assert (row.history_reason_code, row.history_reason) == ("account_closed", "")
        assert row.history_user == org_admin


def test_the_reason_reads_in_the_readers_language(client, member, city, waiting):
    from django.utils import translation

    from workflows.history import reason_text

    confirm_closure(client, member, city)
    row = waiting["claim"].history.order_by("-history_id").first()
    with translation.override("en"):
        assert reason_text(code=row.history_reason_code) == "Account closed"
    assert reason_text(code=row.history_reason_code) == "账号已注销"


def test_a_rejected_closure_leaves_everything_waiting(client, member, org_admin, waiting):
    closure = factories.AccountClosureFactory(member=member)
    client.force_login(org_admin)
    url = reverse("volunteering_accountclosure:action", args=(closure.pk, "reject"))
    client.post(url, {"reason": "请先办结本年度考核"})
    assert SignUp.objects.get(pk=waiting["mine"].pk).state == SignUp.State.APPROVED
    assert NeedClaim.objects.get(pk=waiting["claim"].pk).state == NeedClaim.State.PENDING
