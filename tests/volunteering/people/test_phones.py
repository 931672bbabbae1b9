"""Members' phone numbers are stored and shown in one form, whichever way they were typed
(the profile, the members admin, the import), and stored numbers are normalised once by the
migration."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.volunteering.admin.support import url
from tests.volunteering.people.test_accounts import profile_data
from volunteering import errors
from volunteering.people.forms import ProfileForm
from volunteering.people.import_files import COLUMN_KEYS
from volunteering.people.imports import Status, members_import_apply, members_import_preview
from volunteering.people.models import Member
from volunteering.people.phones import phone_canonical, phone_e164
from volunteering.voice.models import Feedback


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("13908741001", "139 0874 1001"),
        ("139 0874 1001", "139 0874 1001"),
        ("139-0874-1001", "139 0874 1001"),
        ("+86 139 0874 1001", "139 0874 1001"),
        ("0871-6123 4567", "0871 6123 4567"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
    ],
)
def test_one_number_typed_many_ways_has_one_form(typed, canonical):
    assert phone_canonical(typed) == canonical


@pytest.mark.parametrize("typed", ["12345", "call me", "1390874100", ""])
def test_what_is_not_a_number_has_no_form(typed):
    assert phone_canonical(typed) is None and phone_e164(typed) is None


def test_a_text_message_goes_to_the_international_form():
    assert phone_e164("139 0874 1001") == "+8613908741001"


@pytest.fixture
def member(db):
    return factories.MemberFactory(phone="", privacy_consent_at=None)


def test_the_profile_stores_the_canonical_form(client, member):
    client.force_login(member.user)
    client.post("/my/profile/", profile_data(phone="13908741001", consent="on"))
    member.refresh_from_db()
    assert member.phone == "139 0874 1001"


def test_the_profile_refuses_a_number_that_cannot_exist_with_a_translated_error(client, member):
    client.force_login(member.user)
    for phone in ("12345", "1390874100"):
        page = client.post("/my/profile/", profile_data(phone=phone, consent="on"))
        assert page.status_code == 200
        assert str(errors.PHONE_INVALID) in page.content.decode()
    member.refresh_from_db()
    assert member.phone == ""


def test_the_error_is_translated(member):
    with translation.override("en"):
        form = ProfileForm(profile_data(phone="12345", consent="on"), instance=member)
        assert not form.is_valid()
        assert form.errors["phone"] == [translation.gettext(str(errors.PHONE_INVALID))]
        assert "phone number" in form.errors["phone"][0]


def test_the_members_admin_stores_the_canonical_form(client, site_tree):
    world_org = factories.OrganisationFactory()
    admin = factories.organisation_admin(world_org, "phone-admin")
    client.force_login(admin)
    response = client.post(
        url("member", "add"),
        {
            "username": "xiaohong",
            "real_name": "小红",
            "organisation": world_org.pk,
            "phone": "+86 139-0874-1003",
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(user__username="xiaohong").phone == "139 0874 1003"


def test_an_import_stores_the_canonical_form_and_sees_the_same_number_as_unchanged(db):
    organisation = factories.OrganisationFactory()
    by = factories.UserFactory()
    rows = [{"username": "zw", "real_name": "张伟", "phone": "13908741001"}]
    rows = [{**dict.fromkeys(COLUMN_KEYS, ""), **row} for row in rows]
    members_import_apply(organisation=organisation, rows=rows, by=by)
    assert Member.objects.get(user__username="zw").phone == "139 0874 1001"
    rows[0]["phone"] = "139 0874 1001"
    preview = members_import_preview(organisation=organisation, rows=rows)
    assert [row.status for row in preview.rows] == [Status.UNCHANGED]


def test_the_migration_normalises_stored_numbers_and_keeps_invalid_ones(db):
    typed = factories.MemberFactory(phone="13908741001")
    spaced = factories.MemberFactory(phone="139 0874 1003")
    invalid = factories.MemberFactory(phone="12345")
    migration = importlib.import_module("volunteering.migrations.0011_accounts")
    migration.phones_canonical(apps, None)
    for member in (typed, spaced, invalid):
        member.refresh_from_db()
    assert (typed.phone, spaced.phone, invalid.phone) == ("139 0874 1001", "139 0874 1003", "12345")


def test_a_phone_longer_than_the_field_is_an_error_not_a_500(client, site_tree):
    """Found by tests/portal/test_public_forms_fuzz.py: a too-long number raised the length
    check's error list, which has no code, and the field's own check then failed with a 500."""
    response = client.post(
        reverse("service:feedback_create", args=[site_tree.community.pk]),
        {"kind": "help", "text": "楼道灯坏了一个星期了", "phone": "1" * 25},
    )
    assert response.status_code == 200
    assert "不超过 20" in response.content.decode()
    assert not Feedback.objects.exists()
