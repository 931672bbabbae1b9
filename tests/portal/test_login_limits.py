"""Signing in resists guessing: the member login and the Wagtail admin login refuse, with 429 and
the same message for every username, once too many attempts failed for one username from one
address, from one address, or for one username from everywhere; a right password too, until the
window ends."""

import time
import types
from unittest import mock

import pytest

from portal import login_limits
from tests import factories

# Their windows pass by moving the local-memory cache's clock.
pytestmark = pytest.mark.usefixtures("locmem_cache")

MEMBER_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = str(login_limits.TOO_MANY_FAILED_LOGINS)


@pytest.fixture(params=[MEMBER_LOGIN, ADMIN_LOGIN], ids=["member", "admin"])
def url(request):
    return request.param


@pytest.fixture
def user(db):
    # A superuser, so that the admin login lets them in too.
    return factories.UserFactory(username="dangyuan", password="pass1234", is_superuser=True)


def sign_in(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, url, times, username="dangyuan", address="203.0.113.7"):
    for _n in range(times):
        response = sign_in(client, url, username, "wrong", address=address)
        assert response.status_code == 200 and LOCKED not in response.content.decode()


def after(seconds: float):
    """The local-memory cache as it will be `seconds` from now."""
    later = time.time() + seconds
    return mock.patch(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: later)
    )


def assert_locked(response):
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_a_right_password_signs_in(client, url, user):
    assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302
    assert "_auth_user_id" in client.session


def test_failures_for_a_username_from_one_address_lock_it_even_with_the_right_password(
    client, url, user
):
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit)
    assert_locked(sign_in(client, url, "dangyuan", "pass1234"))
    assert "_auth_user_id" not in client.session
    # The owner, elsewhere, can still sign in.
    assert sign_in(client, url, "dangyuan", "pass1234", address="198.51.100.2").status_code == 302


def test_the_lock_ends_with_the_window(client, url, user):
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit)
    assert_locked(sign_in(client, url, "dangyuan", "pass1234"))
    with after(login_limits.FAILURE_WINDOW + 1):
        assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302


def test_failures_from_one_address_over_many_usernames_lock_the_address(client, url, user):
    names = [f"guess{n}" for n in range(8)]
    for n in range(login_limits.PER_ADDRESS.limit):
        fail(client, url, 1, username=names[n % len(names)])
    assert_locked(sign_in(client, url, "dangyuan", "pass1234"))
    assert sign_in(client, url, "dangyuan", "pass1234", address="198.51.100.2").status_code == 302
    with after(login_limits.FAILURE_WINDOW + 1):
        client.logout()
        assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302


def test_failures_for_one_username_from_many_addresses_lock_the_username(client, url, user):
    per_address = login_limits.PER_USERNAME_AND_ADDRESS.limit - 1
    addresses = iter(f"198.51.100.{n}" for n in range(1, 255))
    failed = 0
    while failed < login_limits.PER_USERNAME.limit:
        step = min(per_address, login_limits.PER_USERNAME.limit - failed)
        fail(client, url, step, address=next(addresses))
        failed += step
    assert_locked(sign_in(client, url, "dangyuan", "pass1234", address="192.0.2.1"))
    assert sign_in(client, url, "qita", "wrong", address="192.0.2.1").status_code == 200
    with after(login_limits.FAILURE_WINDOW + 1):
        assert sign_in(client, url, "dangyuan", "pass1234", address="192.0.2.1").status_code == 302


def test_the_locked_answer_is_the_same_for_unknown_and_known_usernames(client, url, user):
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit, username="dangyuan")
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit, username="nobody")
    known = sign_in(client, url, "dangyuan", "wrong")
    unknown = sign_in(client, url, "nobody", "wrong")
    assert_locked(known)
    assert_locked(unknown)
    assert known.context["form"].errors == unknown.context["form"].errors == {"__all__": [LOCKED]}


def test_a_successful_login_does_not_reset_other_counts(client, url, user):
    factories.UserFactory(username="mine", password="pass1234", is_superuser=True)
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit, username="dangyuan")
    # Signing in to one's own account clears neither another account's count …
    assert sign_in(client, url, "mine", "pass1234").status_code == 302
    client.logout()
    assert_locked(sign_in(client, url, "dangyuan", "pass1234"))
    # … nor the address's.
    left = login_limits.PER_ADDRESS.limit - login_limits.PER_USERNAME_AND_ADDRESS.limit
    for n in range(left - 1):
        fail(client, url, 1, username=f"guess{n % 5}")
    assert sign_in(client, url, "mine", "pass1234").status_code == 302
    client.logout()
    fail(client, url, 1, username="guess0")
    assert_locked(sign_in(client, url, "mine", "pass1234"))


def test_a_successful_login_clears_its_own_failures(client, url, user):
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit - 1)
    assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302
    client.logout()
    fail(client, url, login_limits.PER_USERNAME_AND_ADDRESS.limit - 1)
    assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302


def test_forged_forwarded_addresses_do_not_escape_the_limit(client, url, user):
    for n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        client.post(
            url,
            {"username": "dangyuan", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        url,
        {"username": "dangyuan", "password": "pass1234"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert_locked(response)


def test_a_form_with_a_missing_password_is_not_counted(client, url, user):
    for _n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit + 1):
        client.post(url, {"username": "dangyuan", "password": ""}, REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, url, "dangyuan", "pass1234").status_code == 302
