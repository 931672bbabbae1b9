"""A member who forgot their password (or never had one) gets a 6-digit code on their phone
(`/accounts/password_reset/phone/`): stored only as a digest, for 10 minutes, once, a few tries;
sends limited per number and per address; the same answer for a number no member has."""

import datetime
import re

import pytest
from django.utils import timezone

from portal import sms
from tests import factories
from volunteering import errors
from volunteering.accounts import services
from volunteering.accounts.models import OneTimeCode

ASK = "/accounts/password_reset/phone/"
CODE = "/accounts/password_reset/phone/code/"
PASSWORD = "Lushan-2026-spring"


@pytest.fixture
def member(db):
    user = factories.UserFactory(username="zhangwei", password=None)
    user.set_unusable_password()
    user.save()
    return factories.MemberFactory(user=user, phone="139 0874 1001")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(phone, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(ASK, {"phone": phone}, **kwargs)

    return ask


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body)[1]


def answer(client, code, password=PASSWORD, **kwargs):
    data = {"code": code, "new_password1": password, "new_password2": password}
    return client.post(CODE, data, **kwargs)


def test_a_member_sets_a_password_with_a_code_and_signs_in(client, ask, member):
    assert (
        'href="/accounts/password_reset/phone/"'
        in client.get("/accounts/password_reset/").content.decode()
    )
    response = ask("13908741001")
    assert response.status_code == 302 and response.url == CODE
    [message] = sms.outbox
    assert message.to == "+8613908741001" and "10 分钟" in message.body
    code = code_in(message)
    stored = OneTimeCode.objects.get()
    assert code not in {stored.code_digest, stored.phone} and len(stored.code_digest) == 64
    done = answer(client, code)
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    signed_in = client.post("/accounts/login/", {"username": "139 0874 1001", "password": PASSWORD})
    assert signed_in.status_code == 302
    stored.refresh_from_db()
    assert stored.used_at is not None and stored.history.count() == 2  # the send and the use


def test_a_number_no_member_has_gets_the_same_answer_and_no_message(client, ask, member):
    known = ask("13908741001")
    sms.outbox.clear()
    unknown = ask("13908749999")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    page = client.get(CODE).content.decode()
    assert "139 0874 9999" in page and "如果" in page
    assert sms.outbox == []
    refused = answer(client, "123456")
    assert str(errors.CODE_INVALID) in refused.content.decode()


def test_what_is_not_a_phone_number_is_refused_with_a_translated_error(client, ask, member):
    response = ask("12345")
    assert response.status_code == 200
    assert str(errors.PHONE_INVALID) in response.content.decode()


def test_a_code_works_once(client, ask, member):
    ask("13908741001")
    code = code_in(sms.outbox[0])
    answer(client, code)
    ask("13908741001")
    sms.outbox.clear()
    again = answer(client, code, password="Another-2026-pass")
    assert str(errors.CODE_INVALID) in again.content.decode()


def test_a_code_expires_after_ten_minutes(client, ask, member):
    ask("13908741001")
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = answer(client, code_in(sms.outbox[0]))
    assert str(errors.CODE_INVALID) in response.content.decode()
    member.user.refresh_from_db()
    assert not member.user.has_usable_password()


def test_after_five_wrong_tries_the_right_code_is_refused_too(client, ask, member):
    ask("13908741001")
    code = code_in(sms.outbox[0])
    wrong = "000000" if code != "000000" else "111111"
    for _n in range(services.CODE_MAX_ATTEMPTS):
        assert str(errors.CODE_INVALID) in answer(client, wrong).content.decode()
    assert str(errors.CODE_INVALID) in answer(client, code).content.decode()
    assert OneTimeCode.objects.get().attempts == services.CODE_MAX_ATTEMPTS


def test_a_password_the_rules_refuse_does_not_use_up_a_try(client, ask, member):
    ask("13908741001")
    response = answer(client, code_in(sms.outbox[0]), password="123")
    assert response.status_code == 200
    assert OneTimeCode.objects.get().attempts == 0


def test_a_new_code_replaces_the_old_one(client, ask, member):
    ask("13908741001")
    ask("13908741001")
    first, second = (code_in(m) for m in sms.outbox)
    if first != second:
        assert str(errors.CODE_INVALID) in answer(client, first).content.decode()
    assert answer(client, second).status_code == 302


def test_a_number_gets_at_most_three_codes_an_hour_with_the_same_answer(ask, member):
    for _n in range(services.CODE_SENDS_PER_PHONE.limit + 2):
        assert ask("13908741001").status_code == 302
    assert len(sms.outbox) == services.CODE_SENDS_PER_PHONE.limit


def test_one_address_asking_too_often_is_answered_429(ask, member):
    for n in range(services.CODE_SENDS_PER_ADDRESS.limit):
        ask(f"1390874{n:04d}", REMOTE_ADDR="203.0.113.5")
    refused = ask("13908741001", REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert str(errors.CODE_TOO_MANY_REQUESTS) in refused.content.decode()


def test_the_code_page_without_a_number_goes_back_to_the_start(client, db):
    response = client.get(CODE)
    assert response.status_code == 302 and response.url == ASK
