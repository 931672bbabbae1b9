"""The members' sign-in (`portal.accounts.LoginForm`): by username or by phone number however
it is written, the login limits counting one account once whichever way it was named, and
staff without a member record sent to the admin rather than told they are not members."""

import pytest

from portal import accounts, login_limits
from tests import factories

LOGIN = "/accounts/login/"
LOCKED = str(login_limits.TOO_MANY_FAILED_LOGINS)


@pytest.fixture
def member(db):
    return factories.MemberFactory(
        user=factories.UserFactory(username="yang"), phone="139 0874 1001"
    )


def sign_in(client, username, password="pass1234", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "typed", ["yang", "13908741001", "139 0874 1001", "+86 139-0874-1001", " 13908741001 "]
)
def test_a_member_signs_in_by_username_or_by_phone_however_written(client, member, typed):
    response = sign_in(client, typed)
    assert response.status_code == 302 and response.url == "/my/"
    assert client.session["_auth_user_id"] == str(member.user.pk)


def test_the_login_page_says_username_or_phone(client, db):
    html = client.get(LOGIN).content.decode()
    assert "用户名或手机号" in html


@pytest.mark.parametrize("typed", ["13908741009", "nobody", "yang"])
def test_an_unknown_name_or_number_fails_like_a_wrong_password(client, member, typed):
    response = sign_in(client, typed, password="wrong")
    assert response.status_code == 200
    assert str(accounts.INVALID_LOGIN) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_phone_shared_by_two_members_signs_in_neither(client, member):
    factories.MemberFactory(phone="139 0874 1001")
    response = sign_in(client, "13908741001")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert sign_in(client, "yang").status_code == 302


def test_an_inactive_members_phone_does_not_sign_in(client, member):
    member.user.is_active = False
    member.user.save()
    assert sign_in(client, "13908741001").status_code == 200


def test_failures_by_phone_and_by_username_count_against_one_account(client, member):
    spellings = ["yang", "13908741001", "139 0874 1001", "+8613908741001"]
    for n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        response = sign_in(client, spellings[n % len(spellings)], password="wrong")
        assert response.status_code == 200
    for typed in ("yang", "13908741001"):
        locked = sign_in(client, typed)
        assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert sign_in(client, "13908741001", address="198.51.100.1").status_code == 302


def test_an_unknown_phone_is_counted_as_one_name_however_written(client, member):
    spellings = ["13908741009", "139 0874 1009", "+86 139 0874 1009"]
    for n in range(login_limits.PER_USERNAME_AND_ADDRESS.limit):
        sign_in(client, spellings[n % len(spellings)], password="wrong")
    assert sign_in(client, "139-0874-1009", password="wrong").status_code == 429


def test_staff_without_a_member_record_are_pointed_to_the_admin(client, site_tree):
    staff = factories.community_staff(site_tree.community, "qilin-admin")
    html = client.get(LOGIN).content.decode()
    assert 'href="/admin/login/"' in html
    assert sign_in(client, "qilin-admin").status_code == 302
    page = client.get("/my/").content.decode()
    assert "这是工作人员账号" in page and 'href="/admin/"' in page
    assert "还没有党员登记信息" not in page
    assert staff.is_active


def test_a_user_who_is_neither_is_told_to_ask_for_registration(client, db):
    factories.UserFactory(username="someone")
    sign_in(client, "someone")
    page = client.get("/my/").content.decode()
    assert "还没有党员登记信息" in page and "这是工作人员账号" not in page
