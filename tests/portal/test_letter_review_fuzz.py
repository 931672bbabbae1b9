"""Issue 12's corpus through the one review the page-actions test does not reach: a city
letter (告全体在职党员信) in the city's editorial workflow (编辑部审核 → 发布审批), worked by a city
reviewer (城市审核人) as they work it — from the dashboard's review queue (approve and reject
posted there), the letter's editor (its form, posted with the corpus, and the dialogs that
collect a comment), the review's history and the cancellation's confirmation.

Each action is posted with the corpus in its comment and `next`, with the letter's own task
state, a task state of nothing and a forged action name; it fails on a 5xx or a traceback, on a
refused post that changed the letter or its review, and on a refused character stored. A
review that the corpus's harmless text approves moves on: the posts after it meet a finished
task state, which must be refused as cleanly."""

import re
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import WorkflowState

from tests import factories
from tests.portal.admin_fuzz import CORPUS, Target, dealt, fuzz, problems_of, stored_forbidden
from tests.portal.test_admin_fuzz import signed_in
from volunteering.letters.models import Letter

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="swept in the SQLite suite")

REVIEW_LINK = re.compile(r"(/admin/volunteering/letter/workflow/[\w/]+/\d+/)")
REDIRECTS = (301, 302, 303)
ACTIONS = ("approve", "reject", "nonsense", "")


@pytest.fixture
def in_review(city):
    """A city letter submitted to the city's workflow by the city, and its reviewer."""
    letter = factories.LetterFactory(
        sender=Letter.Sender.CITY, audience=Letter.Audience.ALL, title="告全体在职党员信"
    )
    letter.save_revision(user=city)
    letter.get_workflow().start(letter, city)
    reviewer = factories.make_reviewer(username="city-reviewer-fuzz")
    return Letter.objects.get(pk=letter.pk), reviewer


def review_of(letter: Letter):
    """What a refused post must leave as it was: the letter's row and its review's steps."""
    row = Letter.objects.filter(pk=letter.pk).values().get()
    states = list(
        WorkflowState.objects.filter(object_id=str(letter.pk))
        .order_by("pk")
        .values_list("status", "current_task_state__status")
    )
    return row, states


def test_a_city_reviewer_meets_the_corpus_in_a_letters_review_without_a_5xx(in_review, db):
    letter, reviewer = in_review
    client = signed_in(reviewer)
    task_state = letter.current_workflow_task_state.pk
    problems, links, answered = [], set(), Counter()
    for url in (
        reverse("wagtailadmin_home"),
        reverse("volunteering_letter:edit", args=[letter.pk]),
    ):
        page = client.get(url)
        problems += problems_of("GET", url, "reviewer", page)
        links |= set(REVIEW_LINK.findall(page.content.decode()))
    assert any("/approve/" in link for link in links), links  # the queue offers the review
    # The editor as the reviewer opens it, its form posted with the corpus.
    edit = Target(reverse("volunteering_letter:edit", args=[letter.pk]), Letter, letter.pk)
    problems += fuzz(client, "reviewer", edit, seed=3)
    for seed, action in enumerate(ACTIONS):
        for state in (task_state, 99999):
            for kind in ("action", "collect_action_data"):
                url = f"/admin/volunteering/letter/workflow/{kind}/{letter.pk}/{action}/{state}/"
                if not action:
                    url = url.replace("//", "/")
                problems += problems_of("GET", url, "reviewer", client.get(url))
                for start in range(seed, seed + len(CORPUS), 5):
                    body = urlencode(dealt(["comment", "next"], start))
                    before = review_of(letter)
                    answer = client.post(url, body, "application/x-www-form-urlencoded")
                    problems += problems_of("POST", url, "reviewer", answer)
                    answered[(kind, action, state == task_state, answer.status_code)] += 1
                    refused = answer.status_code not in REDIRECTS and b'"success"' not in (
                        answer.content if not answer.streaming else b""
                    )
                    if refused and review_of(letter) != before:
                        problems.append(f"POST {url}: {answer.status_code}, yet it changed")
    for url in sorted(links - {edit.url}):
        problems += problems_of("GET", url, "reviewer", client.get(url))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    # The review was reached, not only refused at the door: the dialog answered its own task
    # state, an action was done (a redirect), the NUL refused by the guard (400).
    reached = {(kind, status) for kind, action, own, status in answered if own and action}
    assert {("collect_action_data", 200), ("action", 302), ("action", 400)} <= reached, answered
