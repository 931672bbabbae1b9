"""A member reads the history of their own reports, sign-ups, claims, pledges and team requests
(/my/history/<kind>/<id>/): when, what (state labels), by whom (staff by role, not by name) and
why. Anyone else's record answers 404."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering.activities.models import ActivityPage
from volunteering.menu import services as menu
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create, report_return
from volunteering.signups.services import (
    signup_cancel,
    signup_create,
    signup_mark_attendance,
    signup_reject,
)


def history_url(kind: str, pk: int) -> str:
    return reverse("service:my_history", args=(kind, pk))


def test_a_member_reads_who_did_what_to_their_report_and_why(client, community, member, staff):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_return(report=report, by=staff, reason="请先到报到窗口登记")
    client.force_login(member.user)

    response = client.get(history_url("report", report.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "麒麟社区" in html
    assert "请先到报到窗口登记" in html
    assert "待确认" in html and "已退回" in html
    # staff appear by role, never by name or account
    assert "社区工作人员" in html
    assert "王小明" not in html and "qilin-staff" not in html
    returned, created = response.context["timeline"].entries
    assert (returned.actor, created.actor) == ("社区工作人员", "本人")


def test_a_member_reads_the_history_of_a_signup(client, community, member, staff):
    activity = factories.ActivityPageFactory(parent=community, title="义诊", needs_approval=True)
    signup, _created = signup_create(activity=activity, member=member)
    signup_reject(signup=signup, by=staff, reason="名额已满")
    client.force_login(member.user)

    html = client.get(history_url("signup", signup.pk)).content.decode()

    assert "义诊" in html and "名额已满" in html and "未通过" in html


def test_attendance_and_a_correction_of_hours_read_as_changed_fields(
    client, community, member, staff
):
    """What the system did is said by the action and the changed fields, not by a reason made
    up in English ("hours: 2.5"): a correction of hours shows the hours, old → new."""
    activity = factories.ActivityPageFactory(parent=community, title="义诊", capacity=10)
    signup, _created = signup_create(activity=activity, member=member)
    start = timezone.now() - datetime.timedelta(days=1)
    ActivityPage.objects.filter(pk=activity.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    signup_mark_attendance(signup=signup, by=staff, attended=True, hours=Decimal("2.5"))
    signup_mark_attendance(signup=signup, by=staff, attended=True, hours=Decimal("3"))
    client.force_login(member.user)

    response = client.get(history_url("signup", signup.pk))

    corrected, attended, _created = response.context["timeline"].entries
    assert (corrected.action_label, corrected.actor, corrected.reason) == (
        "修改",
        "社区工作人员",
        "",
    )
    assert not corrected.is_transition
    assert [(c.name, c.old, c.new) for c in corrected.changes] == [("hours", "2.5", "3")]
    assert (attended.action_label, attended.reason) == ("记为出席", "")
    assert ("hours", "—", "2.5") in {(c.name, c.old, c.new) for c in attended.changes}
    html = response.content.decode()
    assert "理由：" not in html and "hours" not in html and "attendance" not in html


def test_a_promotion_from_the_waitlist_is_the_systems_without_a_reason(
    client, community, member, staff
):
    activity = factories.ActivityPageFactory(parent=community, title="义诊", capacity=1)
    first, _created = signup_create(activity=activity, member=factories.MemberFactory())
    signup, _created = signup_create(activity=activity, member=member)
    signup_cancel(signup=first, by=first.member.user)
    client.force_login(member.user)

    response = client.get(history_url("signup", signup.pk))

    promoted = response.context["timeline"].entries[0]
    assert (promoted.action_label, promoted.actor, promoted.reason) == ("候补转正", "系统", "")
    assert (promoted.source_label, promoted.target_label) == ("候补", "已报名")
    assert "place freed" not in response.content.decode()


def test_my_service_links_each_report_and_signup_to_its_history(client, community, member, staff):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    activity = factories.ActivityPageFactory(parent=community, title="义诊")
    signup, _created = signup_create(activity=activity, member=member)
    need = menu.need_create(community=community, title="代购药品", by=staff)
    claim = menu.claim_create(need=need, member=member)
    client.force_login(member.user)

    html = client.get("/my/").content.decode()

    for kind, pk in (("report", report.pk), ("signup", signup.pk), ("claim", claim.pk)):
        assert history_url(kind, pk) in html
        assert client.get(history_url(kind, pk)).status_code == 200


def test_another_members_record_is_not_found(client, community, member, staff):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    other = factories.MemberFactory()
    client.force_login(other.user)
    assert client.get(history_url("report", report.pk)).status_code == 404
    # not even the community's staff read it here: theirs is the admin's timeline
    client.force_login(staff)
    assert client.get(history_url("report", report.pk)).status_code == 404


def test_unknown_kinds_and_ids_are_not_found(client, member):
    client.force_login(member.user)
    assert client.get(history_url("organisation", member.organisation_id)).status_code == 404
    assert client.get(history_url("report", 999999)).status_code == 404


def test_signing_in_comes_first(client, community, member):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    response = client.get(history_url("report", report.pk))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_history_page_queries_do_not_grow(
    client, community, member, staff, django_assert_max_num_queries
):
    activity = factories.ActivityPageFactory(parent=community, capacity=1)
    signup, _created = signup_create(activity=activity, member=member)
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_confirm(report=report, by=staff, note="欢迎")
    client.force_login(member.user)
    with django_assert_max_num_queries(20):
        client.get(history_url("report", report.pk))
    with django_assert_max_num_queries(20):
        client.get(history_url("signup", signup.pk))
