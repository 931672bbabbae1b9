"""Sessions and API tokens end when they should: a password change (on the site, by a reset or by
staff) ends every other session and every token of the account, a deactivated account's tokens
are refused, and a member lists and revokes their own tokens under 账号与安全 in 我的服务."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.api_auth import api_token_issue
from portal.models import ApiToken
from tests.volunteering.api_support import API

PASSWORD = "Old-pass-2024!"
NEW_PASSWORD = "New-pass-2025!"
CHANGE_URL = "/accounts/password_change/"
TOKENS_URL = "/accounts/tokens/"


def bearer(raw: str) -> int:
    """The status of an API call that needs a signed-in member, with this token."""
    return Client().get(f"{API}/me/signups", headers={"Authorization": f"Bearer {raw}"}).status_code


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def with_password(member):
    member.user.set_password(PASSWORD)
    member.user.save()
    return member.user


def change(client, old=PASSWORD, new=NEW_PASSWORD):
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    return client.post(CHANGE_URL, data, REMOTE_ADDR="203.0.113.9")


def test_changing_ones_password_ends_other_sessions_and_every_token(member):
    user = with_password(member)
    _token, raw = api_token_issue(user=user)
    here, elsewhere = signed_in(user), signed_in(user)
    assert bearer(raw) == 200

    response = change(here)
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    done = here.get(reverse("password_change_done")).content.decode()
    assert "其他设备上的登录和手机应用的令牌都已失效" in done
    assert bearer(raw) == 401
    assert here.get("/my/").status_code == 200  # the session it was changed in stays
    assert elsewhere.get("/my/").status_code == 302  # the other is signed out
    user.refresh_from_db()
    _new, fresh = api_token_issue(user=user)
    assert bearer(fresh) == 200


def test_a_password_set_by_a_reset_or_by_staff_ends_the_tokens(member):
    user = with_password(member)
    _token, raw = api_token_issue(user=user)
    user.set_password("Set-by-staff-1!")
    user.save()
    assert bearer(raw) == 401


def test_a_deactivated_accounts_tokens_are_refused(member):
    user = with_password(member)
    _token, raw = api_token_issue(user=user)
    user.is_active = False
    user.save()
    assert bearer(raw) == 401


def test_a_token_issued_before_fingerprints_is_refused(member):
    user = with_password(member)
    token, raw = api_token_issue(user=user)
    ApiToken.objects.filter(pk=token.pk).update(auth_hash="")
    assert bearer(raw) == 401


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_login(member):
    user = with_password(member)
    client = signed_in(user)
    response = change(client, old="wrong")
    assert response.status_code == 200
    assert "error" in response.content.decode()
    for _attempt in range(9):
        change(client, old="wrong")
    assert change(client).status_code == 429  # the right one is refused too, for a while
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_token_request_records_what_asked_and_the_member_lists_their_own(member, other_member):
    user = with_password(member)
    Client().post(
        f"{API}/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        headers={"User-Agent": "QujingService/2.1 (Android 14)"},
    )
    api_token_issue(user=other_member.user, client="SomeoneElsesPhone/1.0")
    client = signed_in(user)
    html = client.get(TOKENS_URL).content.decode()
    assert "QujingService/2.1 (Android 14)" in html
    assert "SomeoneElsesPhone" not in html
    assert "账号与安全" in client.get("/my/").content.decode()


def test_a_member_revokes_one_token_then_all_and_never_anothers(member, other_member):
    user = with_password(member)
    first, first_raw = api_token_issue(user=user, client="Phone A")
    _second, second_raw = api_token_issue(user=user, client="Phone B")
    theirs, theirs_raw = api_token_issue(user=other_member.user, client="Phone C")
    client = signed_in(user)

    response = client.post(reverse("api_token_revoke", args=(first.pk,)))
    assert response.status_code == 302
    assert bearer(first_raw) == 401 and bearer(second_raw) == 200
    assert client.post(reverse("api_token_revoke", args=(theirs.pk,))).status_code == 404
    assert bearer(theirs_raw) == 200
    assert client.get(reverse("api_token_revoke", args=(first.pk,))).status_code == 405

    client.post(reverse("api_token_revoke_all"))
    assert bearer(second_raw) == 401
    assert bearer(theirs_raw) == 200
    assert "没有手机应用用您的账号登录" in client.get(TOKENS_URL).content.decode()


def test_the_pages_need_a_sign_in(db, client):
    for url in (TOKENS_URL, CHANGE_URL):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.post(reverse("api_token_revoke_all")).status_code == 302


def test_the_list_costs_the_same_with_more_tokens(member):
    user = with_password(member)
    client = signed_in(user)
    api_token_issue(user=user)
    client.get(TOKENS_URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TOKENS_URL).status_code == 200
        return len(captured)

    one = queries()
    for _n in range(10):
        api_token_issue(user=user)
    assert queries() == one <= 10
