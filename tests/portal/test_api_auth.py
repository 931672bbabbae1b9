"""Tokens of the JSON API: issued for a username and password, stored only as a hash, refused
the same way for every bad login, rate-limited, and required by the endpoints."""

import hashlib
import json
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from portal import api as portal_api
from portal import api_auth, login_limits
from portal.models import ApiToken
from tests import factories

TOKEN_URL = "/api/v1/auth/token"
PRIVATE_URL = "/api/v1/me/signups"


def login(client, username, password, **extra):
    body = json.dumps({"username": username, "password": password})
    return client.post(TOKEN_URL, data=body, content_type="application/json", **extra)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def user(db):
    return factories.UserFactory(username="dangyuan", password="pass1234")


def test_a_right_password_gets_a_bearer_token_that_expires(client, user):
    response = login(client, "dangyuan", "pass1234")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert len(body["token"]) >= 40
    expires = ApiToken.objects.get(user=user).expires
    assert expires - timezone.now() > api_auth.TOKEN_LIFETIME - timedelta(minutes=1)
    answered = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert abs(answered - expires) < timedelta(seconds=1)


def test_only_a_sha256_of_the_token_is_stored(client, user):
    token = login(client, "dangyuan", "pass1234").json()["token"]
    stored = ApiToken.objects.get(user=user)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.key_hash, str(stored)}


def test_unknown_user_and_wrong_password_get_the_same_answer(client, user):
    unknown = login(client, "nobody", "pass1234")
    wrong = login(client, "dangyuan", "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"detail": str(api_auth.BAD_CREDENTIALS)}
    assert not ApiToken.objects.exists()


def test_an_unknown_user_still_runs_the_password_hasher(client, user):
    from django.contrib.auth import base_user, hashers

    with mock.patch.object(base_user, "make_password", wraps=hashers.make_password) as hasher:
        login(client, "nobody", "pass1234")
    assert hasher.called


def test_an_inactive_user_is_refused_like_a_wrong_password(client, user):
    user.is_active = False
    user.save()
    response = login(client, "dangyuan", "pass1234")
    assert response.status_code == 401
    assert response.json() == {"detail": str(api_auth.BAD_CREDENTIALS)}


def test_failed_logins_are_limited_per_username_and_address(client, user):
    for _attempt in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        assert login(client, "dangyuan", "wrong").status_code == 401
    blocked = login(client, "dangyuan", "pass1234")
    assert blocked.status_code == 429
    assert blocked.json() == {"detail": str(login_limits.TOO_MANY_FAILED_LOGINS)}
    # Another address, or another username from this address, is not blocked.
    assert login(client, "dangyuan", "pass1234", REMOTE_ADDR="10.0.0.9").status_code == 200
    factories.UserFactory(username="other", password="pass1234")
    assert login(client, "other", "pass1234").status_code == 200


def test_behind_the_proxy_the_forwarded_address_counts(client, user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
    for _attempt in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        login(client, "dangyuan", "wrong", **proxied)
    assert login(client, "dangyuan", "pass1234", **proxied).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", "REMOTE_ADDR": "10.0.0.1"}
    assert login(client, "dangyuan", "pass1234", **other).status_code == 200


def test_a_forged_forwarded_address_counts_for_nothing(client, user):
    for n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        login(client, "dangyuan", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.200"}
    assert login(client, "dangyuan", "pass1234", **forged).status_code == 429


def test_failed_logins_are_limited_per_address_over_every_username(client, user):
    # Issue 12: 30 tries spread over 8 usernames from one address were never slowed.
    names = [f"guess{n}" for n in range(8)]
    for n in range(login_limits.PER_ADDRESS.limit):
        assert login(client, names[n % len(names)], "wrong").status_code == 401
    blocked = login(client, "dangyuan", "pass1234")
    assert blocked.status_code == 429
    assert blocked.json() == {"detail": str(login_limits.TOO_MANY_FAILED_LOGINS)}
    assert login(client, "dangyuan", "pass1234", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_successful_login_clears_the_failures(client, user):
    for _attempt in range(login_limits.PER_USERNAME_AND_ADDRESS.limit - 1):
        login(client, "dangyuan", "wrong")
    assert login(client, "dangyuan", "pass1234").status_code == 200
    assert login(client, "dangyuan", "wrong").status_code == 401
    assert login(client, "dangyuan", "pass1234").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[1, 2]",
        '{"username": "dangyuan"}',
        '{"username": 5, "password": ["x"]}',
        json.dumps({"username": "x" * 10_000, "password": "y"}),
    ],
)
def test_a_bad_login_body_is_refused_with_a_readable_message_never_a_500(client, user, body):
    response = client.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert not ApiToken.objects.exists()


def test_the_token_opens_the_private_endpoints(client, user):
    token = login(client, "dangyuan", "pass1234").json()["token"]
    assert client.get(PRIVATE_URL, headers=bearer(token)).status_code == 200
    assert ApiToken.objects.get(user=user).last_used is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic ZGFuZ3l1YW46cGFzczEyMzQ="},
        {"Authorization": "Bearer " + "x" * 5000},
    ],
)
def test_without_a_valid_token_the_answer_is_401_json(client, user, headers):
    response = client.get(PRIVATE_URL, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": str(portal_api.NOT_AUTHENTICATED)}
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_refused(client, user):
    _token, raw = api_auth.api_token_issue(user=user, now=timezone.now() - timedelta(days=31))
    assert client.get(PRIVATE_URL, headers=bearer(raw)).status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(client, user):
    _token, raw = api_auth.api_token_issue(user=user)
    user.is_active = False
    user.save()
    assert client.get(PRIVATE_URL, headers=bearer(raw)).status_code == 401


def test_a_session_cookie_is_not_a_token(client, user):
    client.force_login(user)
    assert client.get(PRIVATE_URL).status_code == 401


def test_issuing_a_token_clears_the_users_expired_ones(user):
    api_auth.api_token_issue(user=user, now=timezone.now() - timedelta(days=40))
    api_auth.api_token_issue(user=user)
    assert ApiToken.objects.filter(user=user).count() == 1


def test_last_used_is_written_at_most_every_few_minutes(client, user):
    _token, raw = api_auth.api_token_issue(user=user)
    now = timezone.now()
    assert api_auth.api_token_user(raw=raw, now=now) == user
    api_auth.api_token_user(raw=raw, now=now + timedelta(minutes=1))
    assert ApiToken.objects.get(user=user).last_used == now
    later = now + api_auth.LAST_USED_INTERVAL
    api_auth.api_token_user(raw=raw, now=later)
    assert ApiToken.objects.get(user=user).last_used == later


def test_deleting_the_token_signs_this_device_out(client, user):
    first = login(client, "dangyuan", "pass1234").json()["token"]
    second = login(client, "dangyuan", "pass1234").json()["token"]
    response = client.delete(TOKEN_URL, headers=bearer(first))
    assert response.status_code == 200
    assert response.json() == {"revoked": 1}
    assert client.get(PRIVATE_URL, headers=bearer(first)).status_code == 401
    assert client.get(PRIVATE_URL, headers=bearer(second)).status_code == 200


def test_everywhere_revokes_every_token_of_the_holder_only(client, user):
    other = factories.UserFactory(username="qita", password="pass1234")
    mine = [login(client, "dangyuan", "pass1234").json()["token"] for _ in range(3)]
    theirs = login(client, "qita", "pass1234").json()["token"]
    response = client.delete(f"{TOKEN_URL}?everywhere=true", headers=bearer(mine[0]))
    assert response.json() == {"revoked": 3}
    assert not ApiToken.objects.filter(user=user).exists()
    assert ApiToken.objects.filter(user=other).count() == 1
    assert client.get(PRIVATE_URL, headers=bearer(theirs)).status_code == 200


def test_revoking_needs_a_valid_token(client, user):
    login(client, "dangyuan", "pass1234")
    response = client.delete(TOKEN_URL, headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_wrong_method_is_refused_in_json_with_the_allowed_ones(client, user):
    response = client.put(PRIVATE_URL, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {
        "detail": str(portal_api.METHOD_NOT_ALLOWED) % {"method": "PUT", "allowed": "GET"}
    }


@pytest.mark.parametrize("typed", ["13908741001", "139 0874 1001", "+86 139-0874-1001"])
def test_a_member_gets_a_token_by_phone_number_however_written(client, db, typed):
    member = factories.MemberFactory(
        user=factories.UserFactory(username="yang", password="pass1234"), phone="139 0874 1001"
    )
    response = login(client, typed, "pass1234")
    assert response.status_code == 200
    assert ApiToken.objects.get().user == member.user


def test_a_phone_shared_by_two_members_gets_no_token(client, db):
    for username in ("yang", "li"):
        factories.MemberFactory(
            user=factories.UserFactory(username=username, password="pass1234"),
            phone="139 0874 1001",
        )
    response = login(client, "13908741001", "pass1234")
    assert response.status_code == 401
    assert response.json() == {"detail": str(api_auth.BAD_CREDENTIALS)}


def test_failures_by_phone_and_by_username_lock_one_account(client, db):
    factories.MemberFactory(
        user=factories.UserFactory(username="yang", password="pass1234"), phone="139 0874 1001"
    )
    spellings = ["yang", "13908741001", "139 0874 1001"]
    for n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        assert login(client, spellings[n % len(spellings)], "wrong").status_code == 401
    assert login(client, "+8613908741001", "pass1234").status_code == 429
    assert login(client, "yang", "pass1234").status_code == 429
