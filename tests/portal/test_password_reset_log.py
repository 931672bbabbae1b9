"""Every password-reset link sent by email is a row, its use recorded on it, like the codes by
text message; the city (and superusers) read both logs in the admin, no one else; an unknown
address leaves no row and gets the same answer; a closed account's rows lose their contact."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.portal.test_password_reset import ask, imported, link_in, public_address  # noqa: F401
from volunteering.accounts.models import OneTimeCode, PasswordResetEmail
from volunteering.privacy.services import member_anonymise

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
