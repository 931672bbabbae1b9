"""Activation invitations (激活邀请): staff and organisation admins invite members who have no
password yet, one at a time or all not activated in one action, by email or text message; the
link sets the password once, within 7 days; the members admin shows 已激活 / 已邀请 / 未激活 and
the report rates page the activation rate of each organisation."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal import sms
from tests import factories
from tests.volunteering.admin.support import url
from volunteering import errors
from volunteering.accounts import services
from volunteering.accounts.models import Invitation
from volunteering.reporting.models import Report

PASSWORD = "Lushan-2026-spring"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = "https://dangyuan.example.cn"


def imported(organisation, username, *, email="", phone=""):
    user = factories.UserFactory(username=username, email=email, password=None)
    user.set_unusable_password()
    user.save()
    return factories.MemberFactory(
        user=user, organisation=organisation, phone=phone, real_name=f"{username}同志"
    )


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="市税务局")


@pytest.fixture
def zhang(organisation):
    return imported(organisation, "zhangwei", email="zw@example.com", phone="139 0874 1001")


@pytest.fixture
def admin(organisation):
    return factories.organisation_admin(organisation, "tax-admin")


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def send(path, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data)

    return send


def link_in(text: str) -> str:
    return re.search(r"https://dangyuan\.example\.cn(/accounts/activate/\S+/)", text)[1]


def test_an_organisation_admin_invites_a_member_who_activates_once(client, send, admin, zhang):
    client.force_login(admin)
    members = client.get(url("member", "index")).content.decode()
    assert "未激活" in members and url("member", "invite", zhang.pk) in members
    response = send(url("member", "invite", zhang.pk), {"channel": "email"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["zw@example.com"] and "zhangwei" in message.body
    assert "https://dangyuan.example.cn/accounts/login/" in message.body
    invitation = Invitation.objects.get()
    assert (invitation.sent_by, invitation.channel) == (admin, "email")
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    assert "已邀请" in client.get(url("member", "index")).content.decode()

    link = link_in(message.body)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "zhangwei" in page.content.decode()
    done = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done.url == reverse("login")
    assert (
        client.post(
            "/accounts/login/", {"username": "13908741001", "password": PASSWORD}
        ).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert [h.history_user for h in invitation.history.order_by("history_date")] == [
        admin,
        zhang.user,
    ]

    client.logout()
    again = client.get(link)
    assert again.status_code == 404
    assert str(errors.INVITATION_INVALID) in again.content.decode()
    client.force_login(admin)
    assert "已激活" in client.get(url("member", "index")).content.decode()


def test_an_invitation_by_text_message_carries_the_link(client, send, admin, zhang):
    client.force_login(admin)
    send(url("member", "invite", zhang.pk), {"channel": "text"})
    [message] = sms.outbox
    assert message.to == "+8613908741001"
    assert client.get(link_in(message.body)).status_code == 200


def test_an_expired_or_replaced_link_no_longer_works(client, send, admin, zhang):
    client.force_login(admin)
    send(url("member", "invite", zhang.pk), {"channel": "email"})
    send(url("member", "invite", zhang.pk), {"channel": "email"})
    first, second = (link_in(m.body) for m in mail.outbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(second).status_code == 404
    assert (
        client.post(second, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code
        == 404
    )
    zhang.user.refresh_from_db()
    assert not zhang.user.has_usable_password()


def test_a_member_without_the_contact_is_refused_with_a_reason(client, send, admin, organisation):
    bare = imported(organisation, "bare")
    client.force_login(admin)
    for channel, message in (
        ("email", errors.INVITATION_NO_EMAIL),
        ("text", errors.INVITATION_NO_PHONE),
    ):
        response = send(url("member", "invite", bare.pk), {"channel": channel})
        assert str(message) in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_invitation_page_says_where_each_way_goes_before_sending(
    client, admin, organisation, zhang
):
    client.force_login(admin)
    page = client.get(url("member", "invite", zhang.pk)).content.decode()
    assert "邮件（zw@example.com）" in page and "短信（139 0874 1001）" in page
    bare = imported(organisation, "bare")
    page = client.get(url("member", "invite", bare.pk)).content.decode()
    assert "邮件（未登记邮箱）" in page and "短信（未登记手机号）" in page


def test_an_activated_member_needs_no_invitation(client, send, admin, organisation):
    done = factories.MemberFactory(organisation=organisation)
    client.force_login(admin)
    page = client.get(url("member", "invite", done.pk)).content.decode()
    assert "已激活" in page and 'name="channel"' not in page
    response = send(url("member", "invite", done.pk), {"channel": "email"})
    assert str(errors.INVITATION_ALREADY_ACTIVE) in response.content.decode()
    assert mail.outbox == []


def test_admins_invite_only_their_organisations_members(client, send, admin, zhang):
    stranger = imported(factories.OrganisationFactory(), "stranger", email="s@example.com")
    client.force_login(admin)
    assert client.get(url("member", "invite", stranger.pk)).status_code == 404
    assert send(url("member", "invite", stranger.pk), {"channel": "email"}).status_code == 404
    assert mail.outbox == []


def test_community_staff_invite_only_members_reported_to_their_community(
    client, send, site_tree, zhang, organisation
):
    staff = factories.community_staff(site_tree.community, "qilin-admin")
    factories.ReportFactory(member=zhang, community=site_tree.community, state=Report.State.PENDING)
    elsewhere = imported(organisation, "elsewhere", email="e@example.com")
    factories.ReportFactory(
        member=elsewhere, community=site_tree.other_community, state=Report.State.CONFIRMED
    )
    client.force_login(staff)
    assert send(url("member", "invite", zhang.pk), {"channel": "email"}).status_code == 302
    assert client.get(url("member", "invite", elsewhere.pk)).status_code == 404
    assert [m.to for m in mail.outbox] == [["zw@example.com"]]


def test_the_service_refuses_whom_the_user_may_not_invite(admin, zhang):
    stranger = imported(factories.OrganisationFactory(), "stranger", email="s@example.com")
    with pytest.raises(Exception) as refused:
        services.invitation_send(member=stranger, channel="email", by=admin)
    assert refused.type.__name__ == "PermissionDenied"


def test_all_not_activated_are_invited_in_one_action(client, send, admin, organisation, zhang):
    no_email = imported(organisation, "noemail")
    factories.MemberFactory(organisation=organisation)  # activated: not invited
    invited = imported(organisation, "invited", email="i@example.com")
    Invitation.objects.create(
        member=invited,
        channel="email",
        sent_to="i@example.com",
        token_digest="x" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    imported(factories.OrganisationFactory(), "stranger", email="s@example.com")
    client.force_login(admin)
    index = client.get(url("member", "index")).content.decode()
    assert url("member", "invite_all") in index
    page = client.get(url("member", "invite_all"))
    assert page.context["count"] == 2  # zhang and noemail
    response = send(url("member", "invite_all"), {"channel": "email"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["zw@example.com"]]
    followed = client.get(response.url).content.decode()
    assert "已发送 1 份激活邀请" in followed
    assert f"{no_email.real_name}：{errors.INVITATION_NO_EMAIL}" in followed


def test_members_without_admin_rights_cannot_invite(client, zhang):
    member = factories.MemberFactory()
    client.force_login(member.user)
    assert client.get(url("member", "invite_all")).status_code in (302, 403)
    assert not Invitation.objects.exists()


def test_the_report_rates_page_shows_the_activation_rate_beside_the_report_rate(
    client, admin, organisation, zhang
):
    factories.MemberFactory(organisation=organisation)
    client.force_login(admin)
    page = client.get(reverse("volunteering_report_rates")).content.decode()
    assert "激活率" in page and "50.0%" in page
