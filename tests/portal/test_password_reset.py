"""Forgetting a password on the public site (`portal.password_reset`): a link by email on the
site's public address, which works for members imported without a password; the same answer for
every address typed; limits per client address and per email address. Every link sent is a row,
its use recorded on it, like the codes by text message; the city (and superusers) read both logs
in the admin, no one else; a closed account's rows lose their contact."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import password_reset
from tests import factories
from volunteering.accounts.models import OneTimeCode, PasswordResetEmail
from volunteering.privacy.services import member_anonymise

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = "https://dangyuan.example.cn"


@pytest.fixture
def imported(db):
    """A member as the import makes them: an account without a usable password."""
    user = factories.UserFactory(username="zhangwei", email="zw@example.com", password=None)
    user.set_unusable_password()
    user.save()
    return factories.MemberFactory(user=user, phone="139 0874 1001")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a reset, sending what the request queued (on commit) at once."""

    def ask(email, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, **kwargs)

    return ask


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def link_in(message) -> str:
    return re.search(r"https://dangyuan\.example\.cn(/accounts/reset/\S+/)", message.body)[1]


def test_the_login_page_offers_forgot_password(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert f'href="{RESET}"' in html
    page = client.get(RESET)
    assert page.status_code == 200 and "找回密码" in page.content.decode()


def test_an_imported_member_sets_a_password_by_email_and_signs_in_by_phone(client, ask, imported):
    response = ask("ZW@example.com")
    assert response.status_code == 302 and response.url == DONE
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zw@example.com"]
    body = mail.outbox[0].body
    assert "zhangwei" in body and "https://dangyuan.example.cn/accounts/login/" in body
    form = client.get(link_in(mail.outbox[0]), follow=True)
    assert form.status_code == 200 and "设置新密码" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Lushan-2026-spring", "new_password2": "Lushan-2026-spring"},
    )
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    imported.user.refresh_from_db()
    assert imported.user.has_usable_password()
    client.logout()
    signed_in = client.post(
        "/accounts/login/", {"username": "13908741001", "password": "Lushan-2026-spring"}
    )
    assert signed_in.status_code == 302


def test_a_link_works_once(client, ask, imported):
    ask("zw@example.com")
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    data = {"new_password1": "Lushan-2026-spring", "new_password2": "Lushan-2026-spring"}
    client.post(form.redirect_chain[-1][0], data)
    again = client.get(link, follow=True)
    assert "这个链接已经用过或已过期" in again.content.decode()


@pytest.mark.parametrize(
    "email", ["nobody@example.com", "staff-off@example.com", "gone@example.com"]
)
def test_the_answer_is_the_same_and_nothing_is_sent_for_other_addresses(ask, imported, email):
    off = factories.UserFactory(username="staff-off", email="staff-off@example.com")
    off.set_unusable_password()  # not a member: a disabled password stays disabled
    off.save()
    gone = factories.MemberFactory(user=factories.UserFactory(email="gone@example.com"))
    gone.user.is_active = False
    gone.user.save()
    known = ask("zw@example.com", follow=True)
    mail.outbox.clear()
    unknown = ask(email, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(DONE, 302)]
    assert without_csrf(unknown) == without_csrf(known)
    assert mail.outbox == []


def test_a_mailbox_gets_at_most_three_mails_an_hour_with_the_same_answer(client, ask, imported):
    for _n in range(password_reset.RESET_PER_EMAIL.limit + 2):
        response = ask("zw@example.com")
        assert response.status_code == 302 and response.url == DONE
    assert len(mail.outbox) == password_reset.RESET_PER_EMAIL.limit


def test_one_address_asking_too_often_is_answered_429(client, ask, imported):
    for n in range(password_reset.RESET_PER_ADDRESS.limit):
        client.post(RESET, {"email": f"x{n}@example.com"}, REMOTE_ADDR="203.0.113.9")
    refused = ask("zw@example.com", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert str(password_reset.TOO_MANY_RESETS) in refused.content.decode()
    assert mail.outbox == []
    assert ask("zw@example.com", REMOTE_ADDR="198.51.100.2").url == DONE


# --- The log of resets (找回密码记录) ---------------------------------------------------------

NEW_PASSWORD = {"new_password1": "Lushan-2026-spring", "new_password2": "Lushan-2026-spring"}


def log_url(model: str, view: str = "index", *args) -> str:
    return reverse(f"volunteering_{model}:{view}", args=args)


def test_a_sent_link_is_a_row_and_its_use_is_recorded(client, ask, imported):
    ask("ZW@example.com")
    row = PasswordResetEmail.objects.get()
    assert (row.user, row.sent_to, row.used_at) == (imported.user, "zw@example.com", None)
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], NEW_PASSWORD)
    row.refresh_from_db()
    assert row.used_at is not None
    assert row.history.count() == 2  # sent, then used


def test_an_unknown_address_leaves_no_row_and_gets_the_same_answer(ask, imported):
    known = ask("zw@example.com", follow=True)
    unknown = ask("nobody@example.com", follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert PasswordResetEmail.objects.count() == 1


def test_the_city_reads_the_logs_in_the_admin(client, ask, imported, city):
    ask("zw@example.com")
    OneTimeCode.objects.create(
        user=imported.user, phone="13908741001", code_digest="x", expires_at="2030-01-01T00:00Z"
    )
    client.force_login(city)
    emails = client.get(log_url("passwordresetemail")).content.decode()
    assert "zw@example.com" in emails
    row = PasswordResetEmail.objects.get()
    assert re.search(rf'href="{log_url("passwordresetemail", "inspect", row.pk)}"', emails)
    assert client.get(log_url("passwordresetemail", "inspect", row.pk)).status_code == 200
    assert "13908741001" in client.get(log_url("onetimecode")).content.decode()


def test_community_staff_and_organisation_admins_do_not_see_the_logs(
    client, site_tree, ask, imported
):
    ask("zw@example.com")
    staff = factories.community_staff(site_tree.community, "staff-a")
    client.force_login(staff)
    for model in ("passwordresetemail", "onetimecode"):
        assert client.get(log_url(model)).status_code in {302, 403}


@pytest.mark.parametrize("view", ["add", "edit", "delete"])
def test_the_log_cannot_be_changed(view):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"volunteering_passwordresetemail:{view}", args=() if view == "add" else (1,))


def test_a_closed_account_keeps_its_rows_without_the_address(ask, imported, city):
    ask("zw@example.com")
    member_anonymise(member=imported, by=city)
    row = PasswordResetEmail.objects.get()
    assert row.sent_to == "" and not row.history.exclude(sent_to="").exists()
