"""Django's admin sign-in (/django-admin/login/) is limited like the member and Wagtail admin
logins: the same counts, the same 429 and message, a right password refused too while locked."""

import pytest

from portal import login_limits
from tests import factories
from tests.portal.test_login_limits import LOCKED, MEMBER_LOGIN, after, assert_locked, fail, sign_in

# Their windows pass by moving the local-memory cache's clock.
pytestmark = pytest.mark.usefixtures("locmem_cache")

DJANGO_ADMIN_LOGIN = "/django-admin/login/"
DJANGO_ADMIN = "/django-admin/"


@pytest.fixture
def user(db):
    # Django's admin lets in staff only.
    return factories.UserFactory(
        username="dangyuan", password="pass1234", is_staff=True, is_superuser=True
    )


def test_the_page_is_django_admin_sign_in_and_a_right_password_signs_in(client, user):
    page = client.get(DJANGO_ADMIN_LOGIN)
    assert page.status_code == 200
    assert "admin/login.html" in [t.name for t in page.templates]
    assert 'id="login-form"' in page.content.decode()
    response = sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234")
    assert response.status_code == 302 and response.url == DJANGO_ADMIN
    assert "_auth_user_id" in client.session
    # Signed in already: the login page sends staff to the admin.
    assert client.get(DJANGO_ADMIN_LOGIN).url == DJANGO_ADMIN


def test_an_anonymous_visit_to_the_admin_is_sent_to_the_limited_sign_in(client, user):
    response = client.get(DJANGO_ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(DJANGO_ADMIN_LOGIN)
    target = f"{DJANGO_ADMIN}auth/user/"
    signed_in = client.post(
        f"{DJANGO_ADMIN_LOGIN}?next={target}",
        {"username": "dangyuan", "password": "pass1234"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert signed_in.status_code == 302 and signed_in.url == target


def test_failures_lock_the_sign_in_even_with_the_right_password(client, user):
    fail(client, DJANGO_ADMIN_LOGIN, login_limits.PER_USERNAME_AND_ADDRESS.limit)
    response = sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234")
    assert_locked(response)
    assert response.context["form"].errors == {"__all__": [LOCKED]}
    assert "_auth_user_id" not in client.session
    # The owner, elsewhere, can still sign in.
    elsewhere = sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234", address="198.51.100.2")
    assert elsewhere.status_code == 302


def test_the_lock_ends_with_the_window(client, user):
    fail(client, DJANGO_ADMIN_LOGIN, login_limits.PER_USERNAME_AND_ADDRESS.limit)
    assert_locked(sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234"))
    with after(login_limits.FAILURE_WINDOW + 1):
        assert sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234").status_code == 302


def test_failures_from_one_address_over_many_usernames_lock_the_address(client, user):
    for n in range(login_limits.PER_ADDRESS.limit):
        fail(client, DJANGO_ADMIN_LOGIN, 1, username=f"guess{n % 8}")
    assert_locked(sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234"))


def test_the_counts_are_shared_with_the_other_ways_in(client, user):
    fail(client, MEMBER_LOGIN, login_limits.PER_USERNAME_AND_ADDRESS.limit)
    assert_locked(sign_in(client, DJANGO_ADMIN_LOGIN, "dangyuan", "pass1234"))
