"""Hypothesis over the public forms (issue 12): whatever a visitor types into the forms anyone can
use without an account — control characters, lone surrogates, right-to-left overrides,
zero-width characters, SQL and FTS syntax, very long strings, numbers out of range — the answer is
never a 5xx, a refused form writes nothing, and an accepted one writes exactly one row holding
no character the portal refuses (`portal.input_guard`). Through the same entry points residents
use: the pages and their forms, with the test client."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.input_guard import has_forbidden
from volunteering.voice.models import Feedback

# Text as visitors and attackers type it: any code point a form can carry (a lone surrogate
# cannot be encoded in a form post; the API's JSON escapes are tested in test_input_guard.py),
# and the characters and strings that have broken web forms elsewhere.
NASTY = [
    "\x00",
    "\u202e",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters
    "'; DROP TABLE volunteering_feedback; --",
    '" OR 1=1 --',
    "法律 AND NOT 援助 NEAR(",  # FTS5 syntax
    '"unterminated',
    "<script>alert(1)</script>",
    "%00%0a%0d",
    "9" * 40,
    "-1",
    "１３８１２３４５６７８",  # full-width digits
    "\r\n\t",
]
text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY), min_size=2, max_size=4).map("".join),
    st.text(alphabet="社区服务楼道灯坏了", min_size=2000, max_size=2100),  # over the limit
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Each example from its own address, so the per-address limit on submissions is not what
# refuses them (it is tested on its own in tests/volunteering/voice).
ADDRESSES = (f"10.9.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def _post(client, url, data):
    return client.post(url, data, REMOTE_ADDR=next(ADDRESSES))


@pytest.mark.django_db
@FUZZ
@given(
    kind=st.one_of(st.sampled_from(Feedback.Kind.values), text), body=text, name=text, phone=text
)
def test_the_feedback_form_refuses_or_keeps_whatever_is_typed(site_tree, kind, body, name, phone):
    url = reverse("service:feedback_create", args=[site_tree.community.pk])
    before = Feedback.objects.count()
    response = _post(Client(), url, {"kind": kind, "text": body, "name": name, "phone": phone})
    assert response.status_code in (200, 302, 400, 429), response.status_code
    written = Feedback.objects.count() - before
    assert written == (1 if response.status_code == 302 else 0)
    if written:
        feedback = Feedback.objects.latest("pk")
        stored = (feedback.text, feedback.name, feedback.phone)
        assert not any(has_forbidden(value) for value in stored), stored
        assert feedback.kind in Feedback.Kind.values


@pytest.mark.django_db
@FUZZ
@given(query=text)
def test_search_answers_any_query(site_tree, query):
    response = Client().get(reverse("search"), {"q": query})
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.django_db
@FUZZ
@given(code=text)
def test_the_receipt_lookup_answers_any_code(site_tree, code):
    response = Client().get(reverse("service:feedback_status"), {"code": code})
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.django_db
@FUZZ
@given(username=text, password=text)
def test_the_login_answers_anything_without_signing_in(site_tree, username, password):
    client = Client()
    response = _post(client, reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 400, 403, 429), response.status_code
    assert "_auth_user_id" not in client.session
