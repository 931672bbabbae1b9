"""Workflow actions in the admin: only the transitions the workflow offers are shown, performing
one goes through the service and records who did it, and refusals are messages, not errors."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from tests.volunteering.admin.support import url
from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.reporting.models import Report, ServiceFile
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership
from workflows.statemachine import REASON_REQUIRED


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_only_the_offered_transitions_are_shown_on_the_list(world, client):
    client.force_login(world.a.staff)
    page = client.get(url("report", "index")).content.decode()
    assert url("report", "action", world.a.report.pk, "confirm") in page
    assert url("report", "action", world.a.report.pk, "return") in page
    # withdrawing is the member's own move, not the staff's
    assert url("report", "action", world.a.report.pk, "withdraw") not in page


def test_the_inspect_view_shows_the_actions_as_buttons(world, client):
    client.force_login(world.a.staff)
    page = client.get(url("report", "inspect", world.a.report.pk)).content.decode()
    assert "确认报到" in page and "退回" in page


def test_confirming_a_report_opens_the_service_file_and_records_history(world, client):
    client.force_login(world.a.staff)
    action = url("report", "action", world.a.report.pk, "confirm")
    assert client.get(action).status_code == 200
    response = client.post(action, {"reason": "材料齐全"})
    assert response.status_code == 302
    report = Report.objects.get(pk=world.a.report.pk)
    assert report.state == Report.State.CONFIRMED
    assert ServiceFile.objects.filter(member=report.member, community=report.community).exists()
    latest = report.history.order_by("-history_date").first()
    assert latest.history_user == world.a.staff
    assert (latest.history_transition, latest.history_reason) == ("confirm", "材料齐全")
    assert any("确认报到" in m for m in _messages(response))

    page = client.get(url("report", "index")).content.decode()
    assert url("report", "action", report.pk, "confirm") not in page


def test_returning_needs_a_reason(world, client):
    client.force_login(world.a.staff)
    action = url("report", "action", world.a.report.pk, "return")
    response = client.post(action, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    world.a.report.refresh_from_db()
    assert world.a.report.state == Report.State.PENDING

    response = client.post(action, {"reason": "请先向挂钩社区报到"})
    assert response.status_code == 302
    world.a.report.refresh_from_db()
    assert world.a.report.state == Report.State.RETURNED
    latest = world.a.report.history.order_by("-history_date").first()
    assert (latest.history_transition, latest.history_reason) == ("return", "请先向挂钩社区报到")


def test_the_workflows_own_reason_rule_reaches_the_user_as_a_form_error(world, client):
    """Even with the form's check bypassed, the state machine's refusal is shown, not a 500."""
    from volunteering.admin.forms import ReasonForm

    client.force_login(world.a.staff)
    original = ReasonForm.__init__

    def lenient(self, *args, required=False, **kwargs):
        original(self, *args, required=False, **kwargs)

    ReasonForm.__init__ = lenient
    try:
        response = client.post(url("report", "action", world.a.report.pk, "return"), {})
    finally:
        ReasonForm.__init__ = original
    assert response.status_code == 200
    expected = str(REASON_REQUIRED % {"action": "退回"})
    assert expected in response.content.decode()


def test_another_communitys_staff_get_404_for_the_action(world, client):
    client.force_login(world.b.staff)
    response = client.post(url("report", "action", world.a.report.pk, "confirm"))
    assert response.status_code == 404
    world.a.report.refresh_from_db()
    assert world.a.report.state == Report.State.PENDING


def test_an_action_not_offered_now_is_refused_with_a_message(world, client):
    client.force_login(world.a.staff)
    client.post(url("report", "action", world.a.report.pk, "confirm"))
    response = client.post(url("report", "action", world.a.report.pk, "confirm"))
    assert response.status_code == 302
    assert any("不能" in m for m in _messages(response))
    unknown = client.post(url("report", "action", world.a.report.pk, "explode"))
    assert unknown.status_code == 302


def test_signups_are_approved_and_rejected_with_a_reason(world, client):
    client.force_login(world.a.staff)
    signup = world.a.signup
    page = client.get(url("signup", "index")).content.decode()
    assert url("signup", "action", signup.pk, "approve") in page
    assert url("signup", "action", signup.pk, "reject") in page

    response = client.post(url("signup", "action", signup.pk, "reject"), {"reason": ""})
    assert response.status_code == 200
    client.post(url("signup", "action", signup.pk, "approve"))
    signup.refresh_from_db()
    assert signup.state == SignUp.State.APPROVED


def _start_now(activity):
    from django.utils import timezone

    activity.starts_at = timezone.now() - timezone.timedelta(minutes=30)
    activity.ends_at = timezone.now() + timezone.timedelta(hours=1)
    activity.save_revision().publish()


def test_attendance_cannot_be_marked_before_the_activity_begins(world, client):
    from volunteering.errors import ATTENDANCE_TOO_EARLY

    client.force_login(world.a.staff)
    signup = world.a.signup
    client.post(url("signup", "action", signup.pk, "approve"))
    assert (
        url("signup", "action", signup.pk, "mark_attended")
        not in client.get(url("signup", "inspect", signup.pk)).content.decode()
    )
    response = client.post(
        url("signup", "action", signup.pk, "mark_attended"), {"hours": "1.5"}, follow=True
    )
    assert str(ATTENDANCE_TOO_EARLY) in response.content.decode()
    signup.refresh_from_db()
    assert signup.state == SignUp.State.APPROVED


def test_staff_mark_attendance_and_hours_by_hand(world, client):
    client.force_login(world.a.staff)
    signup = world.a.signup
    client.post(url("signup", "action", signup.pk, "approve"))
    _start_now(world.a.activity)
    response = client.post(url("signup", "action", signup.pk, "mark_attended"), {"hours": "1.5"})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert (signup.state, signup.hours) == (SignUp.State.ATTENDED, Decimal("1.5"))

    bad = client.post(url("signup", "action", signup.pk, "set_hours"), {"hours": "-3"})
    assert bad.status_code == 200
    client.post(url("signup", "action", signup.pk, "set_hours"), {"hours": "2"})
    signup.refresh_from_db()
    assert signup.hours == Decimal("2.0")
    assert signup.history.filter(history_user=world.a.staff).count() >= 3


def test_claims_are_confirmed_and_completed_with_their_outcome(world, client):
    client.force_login(world.a.staff)
    claim = world.a.claim
    client.post(url("needclaim", "action", claim.pk, "confirm"))
    response = client.post(url("needclaim", "action", claim.pk, "complete"), {"reason": ""})
    assert response.status_code == 200
    client.post(url("needclaim", "action", claim.pk, "complete"), {"reason": "帮助 3 户老人"})
    claim.refresh_from_db()
    assert (claim.state, claim.outcome) == (NeedClaim.State.DONE, "帮助 3 户老人")


def test_a_refusal_of_the_service_is_an_admin_message(world, client):
    """Confirming a claim on a need whose places are all taken is refused, never a 500."""
    need = world.a.need
    need.places = 0
    need.save()
    client.force_login(world.a.staff)
    response = client.post(url("needclaim", "action", world.a.claim.pk, "confirm"))
    assert response.status_code == 302
    assert any("名额已满" in m for m in _messages(response))
    world.a.claim.refresh_from_db()
    assert world.a.claim.state == NeedClaim.State.PENDING


def test_memberships_and_pledges_are_decided_by_staff(world, client):
    client.force_login(world.a.staff)
    client.post(url("teammembership", "action", world.a.membership.pk, "approve"))
    client.post(url("postpledge", "action", world.a.pledge.pk, "decline"), {"reason": "岗位已满"})
    world.a.membership.refresh_from_db()
    world.a.pledge.refresh_from_db()
    assert world.a.membership.state == TeamMembership.State.APPROVED
    assert world.a.pledge.state == PostPledge.State.DECLINED
    history = world.a.pledge.history.order_by("-history_date").first()
    assert history.history_user == world.a.staff


@pytest.mark.parametrize("model", ["needclaim", "teammembership", "postpledge", "signup"])
def test_the_inspect_view_lists_who_changed_the_state(world, client, model):
    attr = {"needclaim": "claim", "teammembership": "membership", "postpledge": "pledge"}
    obj = getattr(world.a, attr.get(model, model))
    client.force_login(world.a.staff)
    response = client.get(url(model, "inspect", obj.pk))
    assert response.status_code == 200
    assert "变更记录" in response.content.decode()


def test_needs_are_closed_and_reopened(world, client):
    client.force_login(world.a.staff)
    need = world.a.need
    client.post(url("need", "action", need.pk, "close"))
    need.refresh_from_db()
    assert need.state == "closed"
    client.post(url("need", "action", need.pk, "reopen"))
    need.refresh_from_db()
    assert need.state == "open"


def test_an_action_from_a_filtered_list_returns_to_that_list(world, client):
    """Confirming a claim from a list filtered by state and searched comes back to the same
    filtered list, whether the rows came with the page or from the filter's partial view."""
    from urllib.parse import quote

    client.force_login(world.a.staff)
    listing = url("needclaim", "index") + "?state=pending&q=" + quote(world.a.member.real_name)
    confirm = url("needclaim", "action", world.a.claim.pk, "confirm")
    expected_next = quote(listing, safe="")
    for page in (listing, url("needclaim", "index_results") + listing[listing.index("?") :]):
        html = client.get(page).content.decode()
        assert f"{confirm}?next={expected_next}" in html.replace("&amp;", "&"), page

    response = client.post(f"{confirm}?next={expected_next}", {"next": listing})
    assert response.status_code == 302 and response.url == listing
    assert NeedClaim.objects.get(pk=world.a.claim.pk).state == NeedClaim.State.CONFIRMED


def test_an_action_never_returns_to_another_site(world, client):
    client.force_login(world.a.staff)
    confirm = url("needclaim", "action", world.a.claim.pk, "confirm")
    response = client.post(confirm, {"next": "https://evil.example/admin/"})
    assert response.status_code == 302
    assert response.url == url("needclaim", "inspect", world.a.claim.pk)


def test_deleting_from_a_filtered_list_returns_to_that_list(world, client):
    from urllib.parse import quote

    from tests import factories
    from volunteering.people.models import Organisation

    empty = factories.OrganisationFactory(name="待撤销的单位")
    client.force_login(world.city)
    listing = url("organisation", "index") + "?q=" + quote("待撤销")
    delete = url("organisation", "delete", empty.pk)
    expected = f"{delete}?next={quote(listing, safe='')}"
    assert expected in client.get(listing).content.decode().replace("&amp;", "&")
    confirm = client.get(expected)
    assert expected in confirm.content.decode().replace("&amp;", "&")  # the form keeps it
    response = client.post(expected)
    assert response.status_code == 302 and response.url == listing
    assert not Organisation.objects.filter(pk=empty.pk).exists()


def test_saving_an_object_opened_from_a_filtered_list_returns_to_that_list(world, client):
    """A need opened from a searched, filtered list: its form keeps the list, and saving
    comes back to it; a `next` to another site is ignored (back to the plain list)."""
    from urllib.parse import quote

    from volunteering.menu.models import Need

    client.force_login(world.a.staff)
    need = world.a.need
    listing = url("need", "index") + "?state=open&q=" + quote(need.title)
    edit = f"{url('need', 'edit', need.pk)}?next={quote(listing, safe='')}"
    assert edit in client.get(listing).content.decode().replace("&amp;", "&")
    form = client.get(edit).content.decode().replace("&amp;", "&")
    assert f'action="{edit}"' in form
    data = {"community": world.a.community.pk, "title": "修好路灯（改）", "places": need.places}
    response = client.post(edit, data)
    assert response.status_code == 302 and response.url == listing
    assert Need.objects.get(pk=need.pk).title == "修好路灯（改）"
    other = client.post(f"{url('need', 'edit', need.pk)}?next=https://evil.example/", data)
    assert other.status_code == 302 and other.url == url("need", "index")


def test_rows_of_the_plain_list_open_the_form_without_a_next(world, client):
    client.force_login(world.a.staff)
    html = client.get(url("need", "index")).content.decode()
    assert f'href="{url("need", "edit", world.a.need.pk)}"' in html
