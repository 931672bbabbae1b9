"""The part of the staff-side corpus PostgreSQL answers differently from SQLite: NUL, which
SQLite stores in text and PostgreSQL refuses (its driver raises: a 500 if it got that far),
and a lone surrogate (ED A0 80), which cannot be encoded. Posted through one of each kind of
admin form — a list's search, a create form, the page editor's save, a page review's
rejection with its comment, and a report's return with its reason — on PostgreSQL: never a
5xx, nothing written (rows, the page, its revisions and its review as they were), and no
refused character in any text column at the end.

(A lone surrogate sent in a form arrives as U+FFFD: Django decodes a form body's bytes with
replacement. It is sent anyway, beside NUL, so that a change there is noticed.) The whole
corpus through every admin address runs in the SQLite suite (test_admin_fuzz.py,
test_page_actions_fuzz.py); the form code is the same on both engines."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from wagtail.models import Page

from tests import factories
from tests.portal.admin_fuzz import problems_of, stored_forbidden
from tests.portal.page_actions import page_snapshot
from volunteering.reporting.models import Report
from volunteering.voice.models import GoodDeed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's refusals"),
]
REFUSED = [b"\x00", b"a\x00b", b"\xed\xa0\x80", b"\x00\xed\xa0\x80"]


def post(client, url: str, fields: dict, value: bytes):
    """The form as a browser sends it, each of `fields`' None values replaced by `value`."""
    body = [(name, value if given is None else given.encode()) for name, given in fields.items()]
    response = client.post(url, urlencode(body), "application/x-www-form-urlencoded")
    return response, problems_of("POST", url, "city", response)


@pytest.fixture
def signed_in(site_tree):
    client = Client(raise_request_exception=False)
    client.force_login(factories.UserFactory(username="root-pg", is_superuser=True))
    return client


@pytest.mark.parametrize("value", REFUSED)
def test_a_list_search_and_a_create_form_refuse_the_corpus_on_postgresql(
    signed_in, site_tree, value
):
    url = f"/admin/volunteering/report/?{urlencode({'q': value, 'community': value})}"
    problems = problems_of("GET", url, "city", signed_in.get(url))
    before = GoodDeed.objects.count()
    fields = {"community": str(site_tree.community.pk), "title": None, "note": None}
    _response, found = post(signed_in, "/admin/volunteering/gooddeed/new/", fields, value)
    problems += found + stored_forbidden()
    assert not problems, "\n".join(problems)
    if b"\x00" in value:
        assert GoodDeed.objects.count() == before


@pytest.mark.parametrize("value", REFUSED)
def test_the_page_editor_and_a_review_refuse_the_corpus_on_postgresql(signed_in, site_tree, value):
    author = factories.community_staff(site_tree.community, "author-pg")
    page = factories.StandardPageFactory(parent=site_tree.community, title="审核中", live=False)
    page.save_revision(user=author)
    state = page.get_workflow().start(page, author)
    before = page_snapshot(page.pk)
    edit = f"/admin/pages/{page.pk}/edit/"
    fields = {"title": None, "slug": "shen-he", "body-count": "0", "seo_title": None}
    _response, problems = post(signed_in, edit, fields, value)
    task = state.current_task_state.pk
    reject = f"/admin/pages/workflow/action/{page.pk}/reject/{task}/"
    _response, found = post(signed_in, reject, {"comment": None, "next": None}, value)
    problems += found + stored_forbidden()
    assert not problems, "\n".join(problems)
    if b"\x00" in value:
        assert page_snapshot(page.pk) == before
        assert Page.objects.get(pk=page.pk).specific.draft_title == "审核中"


@pytest.mark.parametrize("value", REFUSED)
def test_a_reports_return_refuses_the_corpus_on_postgresql(signed_in, site_tree, value):
    report = factories.ReportFactory(community=site_tree.community, state="pending")
    url = f"/admin/volunteering/report/action/{report.pk}/return/"
    _response, problems = post(signed_in, url, {"reason": None, "next": None}, value)
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    report.refresh_from_db()
    if b"\x00" in value:
        assert report.state == Report.State.PENDING
