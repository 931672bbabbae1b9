"""Members sign in and out on the public site and keep their own profile: skills, residence
community, phone, and consent to the privacy notice recorded with its time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering import errors
from volunteering.people.models import Member


@pytest.fixture
def member(site_tree):
    # Overrides the conftest's `member`: signs in as `yang`, and has neither a phone nor the
    # privacy consent yet, which the profile tests give.
    return factories.MemberFactory(
        user=factories.UserFactory(username="yang"), privacy_consent_at=None, phone=""
    )


def test_the_login_page_is_in_chinese_and_signs_a_member_in_to_my_service(client, member):
    page = client.get("/accounts/login/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "党员登录" in html and 'autocomplete="username"' in html
    response = client.post("/accounts/login/", {"username": "yang", "password": "pass1234"})
    assert response.status_code == 302 and response.url == "/my/"
    assert client.get("/my/").status_code == 200


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, member):
    response = client.post("/accounts/login/", {"username": "yang", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_returns_to_a_safe_next_page_only(client, member, site_tree):
    community_url = site_tree.community.url
    ok = client.post(
        "/accounts/login/", {"username": "yang", "password": "pass1234", "next": community_url}
    )
    assert ok.url == community_url
    client.logout()
    evil = client.post(
        "/accounts/login/",
        {"username": "yang", "password": "pass1234", "next": "https://evil.example/"},
    )
    assert evil.url == "/my/"


def test_logout_asks_first_and_signs_out_by_post(client, member):
    client.force_login(member.user)
    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200
    assert "确定要退出吗" in confirm.content.decode()
    assert "_auth_user_id" in client.session
    done = client.post("/accounts/logout/")
    assert done.status_code == 200
    assert "您已安全退出" in done.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/my/", "/my/profile/"])
def test_member_pages_require_signing_in(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_a_user_without_a_member_record_sees_a_clear_message(client, site_tree):
    client.force_login(factories.UserFactory())
    for url in ("/my/", "/my/profile/"):
        html = client.get(url).content.decode()
        assert str(errors.MEMBER_RECORD_MISSING) in html, url


def profile_data(**overrides):
    return {"other_skills": "", "residence_community": "", "phone": "", **overrides}


def test_a_member_edits_skills_residence_and_phone_and_consents_with_time(
    client, member, site_tree
):
    law = factories.SkillFactory(name="法律咨询")
    factories.SkillFactory(name="医疗保健")
    client.force_login(member.user)
    page = client.get("/my/profile/").content.decode()
    assert "法律咨询" in page and "麒麟区" in page and "方城社区" in page
    before = timezone.now()
    response = client.post(
        "/my/profile/",
        profile_data(
            skills=[law.pk],
            other_skills="书法、摄影",
            residence_community=site_tree.other_community.pk,
            phone="138 0874 0001",
            consent="on",
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert list(member.skills.all()) == [law]
    assert member.other_skills == "书法、摄影"
    assert member.residence_community_id == site_tree.other_community.pk
    assert member.phone == "138 0874 0001"
    assert member.privacy_consent_at >= before
    assert member.history.first().history_user == member.user


def test_consent_keeps_its_first_time_and_is_cleared_when_withdrawn(client, member):
    consented = timezone.now() - datetime.timedelta(days=30)
    Member.objects.filter(pk=member.pk).update(privacy_consent_at=consented)
    client.force_login(member.user)
    client.post("/my/profile/", profile_data(consent="on", other_skills="摄影"))
    member.refresh_from_db()
    assert member.privacy_consent_at == consented
    client.post("/my/profile/", profile_data())
    member.refresh_from_db()
    assert member.privacy_consent_at is None


def test_a_phone_needs_consent_and_a_valid_number(client, member):
    client.force_login(member.user)
    no_consent = client.post("/my/profile/", profile_data(phone="13808740001"))
    assert str(errors.PHONE_NEEDS_CONSENT) in no_consent.content.decode()
    bad = client.post("/my/profile/", profile_data(phone="call me", consent="on"))
    assert str(errors.PHONE_INVALID) in bad.content.decode()
    member.refresh_from_db()
    assert member.phone == "" and member.privacy_consent_at is None


@pytest.mark.parametrize(
    "data",
    [{"residence_community": str(2**70)}, {"skills": [str(2**64), "1"]}],
    ids=["residence", "skills"],
)
def test_an_id_beyond_any_column_is_a_form_error_not_a_500(client, member, data):
    """Found by tests/portal/test_member_forms_fuzz.py: SQLite raised OverflowError."""
    client.force_login(member.user)
    response = client.post("/my/profile/", profile_data(other_skills="摄影", **data))
    assert response.status_code == 200
    assert response.context["form"].errors
    member.refresh_from_db()
    assert member.other_skills == ""


def test_the_profile_links_the_privacy_notice(client, member, site_tree):
    factories.StandardPageFactory(parent=site_tree.home, title="隐私声明", slug="privacy")
    client.force_login(member.user)
    html = client.get("/my/profile/").content.decode()
    assert "阅读隐私声明" in html
    assert 'href="/privacy/"' in html


def test_a_member_cannot_edit_another_members_profile(member):
    from django.core.exceptions import PermissionDenied

    from volunteering.people.services import member_profile_update

    other = factories.MemberFactory()
    with pytest.raises(PermissionDenied):
        member_profile_update(
            member=member,
            by=other.user,
            skills=[],
            other_skills="",
            residence_community=None,
            phone="",
            consent=False,
        )


def test_my_service_link_goes_to_the_profile_page(client, member):
    client.force_login(member.user)
    assert reverse("service:member_profile") in client.get("/my/").content.decode()
