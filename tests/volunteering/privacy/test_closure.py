"""Closing an account: the member asks (on 我的数据) and may withdraw while it waits (on /my/);
an admin of the member's organisation, or the city, confirms or rejects in the admin, through
the workflow with history; confirmation anonymises the person and keeps their record."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from portal.api_auth import api_token_issue
from portal.models import ApiToken
from tests import factories
from tests.volunteering.records.test_my_service import past_activity_attended
from volunteering.people.models import Member
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create
from volunteering.signups.models import SignUp

REQUEST = reverse("service:closure_request")


def action_url(closure, name):
    return reverse("volunteering_accountclosure:action", args=(closure.pk, name))


def ask(client, member, reason="工作调动，不再使用"):
    client.force_login(member.user)
    return client.post(REQUEST, {"reason": reason, "understood": "on"})


def test_a_member_asks_sees_it_on_my_service_and_withdraws(client, member):
    response = ask(client, member)
    assert response.status_code == 302
    closure = AccountClosure.objects.get(member=member)
    assert closure.state == "pending" and closure.organisation == member.organisation
    html = client.get("/my/").content.decode()
    assert "申请注销账号" in html and "待确认" in html
    withdraw = reverse("service:closure_withdraw", args=[closure.pk])
    assert withdraw in html
    client.post(withdraw)
    closure.refresh_from_db()
    assert closure.state == "withdrawn"
    assert [h.history_transition for h in closure.history.order_by("history_date")] == [
        "request",
        "withdraw",
    ]
    assert withdraw not in client.get("/my/").content.decode()


def test_asking_needs_the_confirmation_and_twice_is_refused(client, member):
    client.force_login(member.user)
    response = client.post(REQUEST, {"reason": ""})
    assert response.status_code == 200
    assert "请确认您已了解注销的后果。" in response.content.decode()
    assert not AccountClosure.objects.exists()
    ask(client, member)
    response = client.post(REQUEST, {"understood": "on"})
    assert "您已提交注销申请，正在等待本单位确认。" in response.content.decode()
    assert AccountClosure.objects.count() == 1


def test_another_member_cannot_withdraw_my_request(client, member, other_member):
    ask(client, member)
    closure = AccountClosure.objects.get()
    client.force_login(other_member.user)
    assert client.post(reverse("service:closure_withdraw", args=[closure.pk])).status_code == 404
    closure.refresh_from_db()
    assert closure.state == "pending"


def test_admins_see_only_their_organisations_requests(client, member, other_member, org_admin):
    ask(client, member)
    ask(client, other_member)
    mine, theirs = (AccountClosure.objects.get(member=m) for m in (member, other_member))
    client.force_login(org_admin)
    index = client.get(reverse("volunteering_accountclosure:index")).content.decode()
    assert "杨建国" in index and "李四" not in index
    assert action_url(mine, "confirm") in index
    assert reverse("volunteering_accountclosure:inspect", args=[mine.pk]) in index
    inspect = reverse("volunteering_accountclosure:inspect", args=[theirs.pk])
    assert client.get(inspect).status_code == 404
    assert client.post(action_url(theirs, "confirm")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "pending"
    # The 待我处理 panel counts the one waiting for this admin.
    assert "待确认的注销申请" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_community_staff_cannot_decide(client, community, member):
    ask(client, member)
    closure = AccountClosure.objects.get()
    staff = factories.community_staff(community, "qilin-admin-staff")
    client.force_login(staff)
    assert client.post(action_url(closure, "confirm")).status_code in (403, 404)
    closure.refresh_from_db()
    assert closure.state == "pending"


def test_rejecting_needs_a_reason_and_the_member_reads_it(client, member, org_admin):
    ask(client, member)
    closure = AccountClosure.objects.get()
    client.force_login(org_admin)
    response = client.post(action_url(closure, "reject"), {"reason": " "})
    assert response.status_code == 200
    closure.refresh_from_db()
    assert closure.state == "pending"
    client.post(action_url(closure, "reject"), {"reason": "请先办结本年度考核"})
    closure.refresh_from_db()
    assert closure.state == "rejected"
    client.force_login(member.user)
    data = json.loads(client.get(reverse("service:my_data_download")).content)
    history = data["account_closures"][0]["history"]
    assert history[-1]["reason"] == "请先办结本年度考核" and history[-1]["by"] == "工作人员"


@pytest.fixture
def served(community, member, staff):
    """The member has a confirmed report, an attended activity (3.5 h) and a signed-in session,
    an API token, and an audit-log entry naming them."""
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    report_confirm(report=report, by=staff)
    past_activity_attended(community, member, staff, title="敬老活动", hours=Decimal("3.5"))
    api_token_issue(user=member.user)
    log(instance=report, action="wagtail.edit", user=staff)
    return report


def test_confirming_anonymises_the_person_and_keeps_the_record(
    client, member, org_admin, served, django_capture_on_commit_callbacks
):
    old_phone, old_email, user_pk = member.phone, member.user.email, member.user_id
    ask(client, member)  # the member's session now exists
    assert Session.objects.count() == 1
    closure = AccountClosure.objects.get()
    admin = client.__class__()
    admin.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin.post(action_url(closure, "confirm"), {"reason": ""})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.state == "confirmed" and closure.reason == ""
    # The stored session is removed by the task worker, once the closure has committed.
    assert Session.objects.exclude(session_key=admin.session.session_key).exists()
    for callback in queued:
        callback()

    member = Member.objects.select_related("user").get(pk=member.pk)
    user = member.user
    assert member.real_name == f"已注销党员 #{member.pk}" and member.phone == ""
    assert user.pk == user_pk and user.username.startswith("closed-")
    assert user.email == "" and not user.has_usable_password() and not user.is_active
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Session.objects.exclude(session_key=admin.session.session_key).exists()
    # The member's old session no longer signs anyone in.
    assert client.get("/my/").status_code == 302

    # The record stays, counted: the report, the sign-up and its hours, the points.
    assert Report.objects.filter(member=member, state="confirmed").count() == 1
    signup = SignUp.objects.get(member=member)
    assert signup.state == "attended" and signup.hours == Decimal("3.5")
    assert member.point_entries.exists()
    # No history row of the member keeps the name or phone; nor do audit-log labels.
    for row in Member.history.filter(id=member.pk):
        assert row.real_name == member.real_name and row.phone == ""
    assert not ModelLogEntry.objects.filter(label__contains="杨建国").exists()
    assert not get_user_model().objects.filter(email=old_email).exists()
    assert not Member.objects.filter(phone=old_phone).exists()
    assert [h.history_transition for h in closure.history.order_by("history_date")] == [
        "request",
        "confirm",
    ]
    # Signing in with the old name or username is impossible.
    assert not client.login(username="user", password="pass1234")


def test_the_city_may_confirm_too(client, member, city):
    ask(client, member)
    closure = AccountClosure.objects.get()
    client.force_login(city)
    client.post(action_url(closure, "confirm"))
    closure.refresh_from_db()
    assert closure.state == "confirmed"


def test_an_admin_avatar_is_deleted_too(client, member, org_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = UserProfile.get_for_user(member.user)
    profile.avatar = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n")
    profile.save()
    stored = tmp_path / profile.avatar.name
    assert stored.exists()
    ask(client, member)
    client.force_login(org_admin)
    client.post(action_url(AccountClosure.objects.get(), "confirm"))
    profile.refresh_from_db()
    assert not profile.avatar and not stored.exists()
