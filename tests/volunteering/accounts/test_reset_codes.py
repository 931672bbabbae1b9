"""A member who forgot their password (or never had one) gets a 6-digit code on their phone
(`/accounts/password_reset/phone/`): stored only as a digest, for 10 minutes, once, a few tries;
sends limited per number and per address; wrong codes limited per number across codes and
logged for the city; the same answer for a number no member has."""

import dataclasses
import datetime
import re
import time
import types
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal import sms
from portal.models import LoginFailure
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


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


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


# --- Wrong codes per number, across successive codes (issue 12) -----------------------------

FAILURES = services.CODE_FAILURES_PER_PHONE.limit
TOO_MANY_FAILURES = str(errors.CODE_TOO_MANY_FAILURES)


def wrong_for(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def later(seconds: float):
    """The local-memory cache (the limits' counters) as it will be `seconds` from now."""
    moment = time.time() + seconds
    return mock.patch(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: moment)
    )


@pytest.mark.usefixtures("locmem_cache")
def test_a_new_code_gives_a_guesser_no_new_tries_and_the_lock_ends(client, ask, member):
    for _code in range(FAILURES // services.CODE_MAX_ATTEMPTS):
        ask("13908741001")
        wrong = wrong_for(code_in(sms.outbox[-1]))
        for _try in range(services.CODE_MAX_ATTEMPTS):
            assert answer(client, wrong).status_code == 200
    ask("13908741001")  # a fresh code, its five tries unused
    refused = answer(client, code_in(sms.outbox[-1]))  # the right one
    assert refused.status_code == 429 and TOO_MANY_FAILURES in refused.content.decode()
    member.user.refresh_from_db()
    assert not member.user.has_usable_password()
    with later(services.CODE_FAILURES_PER_PHONE.window + 1):
        ask("13908741001")
        assert answer(client, code_in(sms.outbox[-1])).status_code == 302


def test_a_number_no_member_has_is_locked_alike(member, django_capture_on_commit_callbacks):
    """The same answers, try by try, for a member's number and a number no one has."""
    answers = []
    for phone, shown in (("13908741001", "139 0874 1001"), ("13908749999", "139 0874 9999")):
        client = Client(REMOTE_ADDR="198.51.100.9")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ASK, {"phone": phone})
        tries = [answer(client, "123456") for _n in range(FAILURES + 1)]
        answers.append([(r.status_code, without_csrf(r).replace(shown, "")) for r in tries])
    assert answers[0] == answers[1]
    assert [status for status, _page in answers[0]] == [200] * FAILURES + [429]


def test_wrong_codes_are_in_the_log_the_city_reads(client, ask, member, city):
    ask("139 0874 1001", REMOTE_ADDR="203.0.113.30")
    wrong = wrong_for(code_in(sms.outbox[0]))
    answer(client, wrong, REMOTE_ADDR="203.0.113.30")
    answer(client, wrong, password="123", REMOTE_ADDR="203.0.113.30")  # refused before the code
    [row] = LoginFailure.objects.all()
    assert (row.username, row.address, row.way) == ("139 0874 1001", "203.0.113.30", "reset_code")
    client.force_login(city)
    html = client.get(reverse("volunteering_loginfailure:index")).content.decode()
    assert "139 0874 1001" in html and "203.0.113.30" in html


def test_a_refusal_while_the_number_is_locked_is_not_logged(client, ask, member):
    ask("13908741001")
    one = dataclasses.replace(services.CODE_FAILURES_PER_PHONE, limit=1)
    with mock.patch.object(services, "CODE_FAILURES_PER_PHONE", one):
        answer(client, wrong_for(code_in(sms.outbox[0])))
        assert answer(client, "123456").status_code == 429
    assert LoginFailure.objects.count() == 1
