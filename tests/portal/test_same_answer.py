"""The same answer, after the same work, whether or not the account exists (issue 12), on every
way in: the member login, the Wagtail admin login, Django's admin login, the API token, the
password reset by email and by phone. The answer's status and body are compared; the time it
takes is compared by the work it does (wall-clock times are not asserted in tests): signing in
runs the password hasher once for every name tried (`encode`, which every hasher's `verify` of
the suite calls too); a reset request does the same database queries and queues the same one
task, whose arguments name no account: the lookup and the sending happen in the task."""

import json
import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks import task_backends

from tests import factories
from volunteering.accounts.models import OneTimeCode

PASSWORD = "Right-2026-pass"
# (name typed, password): each is refused with the same answer.
ATTEMPTS = {
    "unknown name": ("nobody-here", "Wrong-2026-pass"),
    "wrong password": ("zhangwei", "Wrong-2026-pass"),
    "no password yet": ("imported", "Wrong-2026-pass"),
    "deactivated, right password": ("gone", PASSWORD),
    "unknown phone": ("139 0874 9999", "Wrong-2026-pass"),
    "member's phone, wrong password": ("139 0874 1001", "Wrong-2026-pass"),
}


@pytest.fixture
def accounts(db):
    zhang = factories.UserFactory(username="zhangwei", password=PASSWORD, email="zw@example.com")
    factories.MemberFactory(user=zhang, phone="13908741001")
    imported = factories.UserFactory(username="imported", password=None)
    imported.set_unusable_password()
    imported.save()
    factories.MemberFactory(user=imported)
    factories.UserFactory(username="gone", password=PASSWORD, is_active=False, is_staff=True)


def hasher_runs():
    """Count the default hasher's `encode`: Django's `verify` calls it, and so do
    `make_password` and the dummy run for an unknown name or an unusable password."""
    hasher = type(get_hasher())
    return mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode)


def page(response, typed: str) -> str:
    """The answer without what differs by design: the CSRF tokens and the name echoed back."""
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.content.decode())
    return html.replace(typed, "")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/django-admin/login/"])
def test_every_sign_in_page_answers_alike_after_one_hasher_run(accounts, url):
    answers = {}
    for n, (case, (username, password)) in enumerate(ATTEMPTS.items()):
        with hasher_runs() as encode:
            response = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
                url, {"username": username, "password": password}
            )
        answers[case] = (response.status_code, encode.call_count, page(response, username))
    assert len(set(answers.values())) == 1, {case: a[:2] for case, a in answers.items()}
    assert next(iter(answers.values()))[:2] == (200, 1)


def test_the_api_token_answers_alike_after_one_hasher_run(accounts):
    answers = {}
    for n, (case, (username, password)) in enumerate(ATTEMPTS.items()):
        with hasher_runs() as encode:
            response = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
                "/api/v1/auth/token",
                json.dumps({"username": username, "password": password}),
                content_type="application/json",
            )
        answers[case] = (response.status_code, encode.call_count, response.content)
    assert len(set(answers.values())) == 1, answers
    assert next(iter(answers.values()))[:2] == (401, 1)


@pytest.fixture
def queued(settings):
    """Tasks queued, not run: the request's own work, apart from what the task does later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend


def request_work(url, data, queued, django_capture_on_commit_callbacks, n):
    """(status, where it leads, queries made, tasks queued) of one request for a reset."""
    queued.clear()
    client = Client(REMOTE_ADDR=f"198.51.100.{n}")
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
        hasher_runs() as encode,
    ):
        response = client.post(url, data)
    tasks = [(r.task.name, len(r.args)) for r in queued.results]
    return (response.status_code, response.get("Location"), len(queries), encode.call_count, tasks)


def run_queued(queued, django_capture_on_commit_callbacks) -> list[str]:
    """Run the tasks queued so far; the names of the tasks they queue in turn (the sends)."""
    ran = list(queued.results)
    with django_capture_on_commit_callbacks(execute=True):
        for result in ran:
            result.task.call(*result.args, **result.kwargs)
    return [result.task.name for result in queued.results[len(ran) :]]


@pytest.mark.parametrize(
    ("url", "field", "known", "unknown"),
    [
        ("/accounts/password_reset/", "email", "zw@example.com", "nobody@example.com"),
        ("/accounts/password_reset/phone/", "phone", "13908741001", "13908749999"),
    ],
    ids=["email", "phone"],
)
def test_a_reset_request_does_the_same_work_for_an_unknown_account(
    accounts, queued, django_capture_on_commit_callbacks, url, field, known, unknown
):
    work = {}
    sent = {}
    for n, value in enumerate((known, unknown), start=1):
        work[value] = request_work(
            url, {field: value}, queued, django_capture_on_commit_callbacks, n
        )
        sent[value] = run_queued(queued, django_capture_on_commit_callbacks)
    assert work[known] == work[unknown]
    assert work[known][0] == 302 and len(work[known][-1]) == 1
    # What the task did differs, outside the request: the test would pass on nothing sent.
    assert sent[unknown] == [] and sent[known] in (["send_email"], ["send_text"])


def test_a_wrong_code_does_the_same_work_for_a_number_no_member_has(
    accounts, django_capture_on_commit_callbacks
):
    work = []
    for n, phone in enumerate(("13908741001", "13908749999"), start=1):
        client = Client(REMOTE_ADDR=f"198.51.100.{n}")
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/password_reset/phone/", {"phone": phone})
        data = {"code": "123456", "new_password1": PASSWORD, "new_password2": PASSWORD}
        with hasher_runs() as encode:
            response = client.post("/accounts/password_reset/phone/code/", data)
        work.append((response.status_code, encode.call_count))
    assert OneTimeCode.objects.count() == 1
    assert work[0] == work[1]
