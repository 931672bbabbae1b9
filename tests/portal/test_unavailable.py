"""Errors that tell the truth: when the database or the cache cannot be reached, pages and the
API answer 503 with Retry-After (try again shortly), not 500; the API answers JSON for every
status, a bug included; and the OpenAPI document lists every status an operation can answer."""

import pytest
from django.db import OperationalError
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.models import HomePage
from tests.volunteering.api_support import API


def broken(exc):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.mark.parametrize(
    "exc", [OperationalError("server closed the connection"), RedisConnectionError("refused")]
)
def test_the_api_answers_503_json_with_retry_after_when_a_store_is_out_of_reach(
    db, monkeypatch, exc
):
    monkeypatch.setattr("volunteering.communities.api.communities_for_listing", broken(exc))
    response = Client(raise_request_exception=False).get(f"{API}/communities")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "服务暂时不可用，请稍后重试。"}


def test_a_bug_in_the_api_answers_json_500_and_is_logged(db, monkeypatch, caplog):
    monkeypatch.setattr(
        "volunteering.communities.api.communities_for_listing", broken(KeyError("oops"))
    )
    response = Client(raise_request_exception=False).get(f"{API}/communities")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器出错了" in response.json()["detail"]
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)


def test_a_page_answers_503_with_retry_after_when_the_database_is_out_of_reach(
    site_tree, monkeypatch
):
    monkeypatch.setattr(HomePage, "get_context", broken(OperationalError("database is locked")))
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "服务暂时不可用" in html and "Temporarily unavailable" in html


def test_a_bug_on_a_page_is_still_a_500(site_tree, monkeypatch):
    monkeypatch.setattr(HomePage, "get_context", broken(KeyError("oops")))
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "服务暂时出错" in response.content.decode()


def test_every_operation_documents_every_status_it_can_answer(db, client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            answers = set(operation["responses"])
            assert {"422", "500", "503"} <= answers, (method, path, sorted(answers))
            if "requestBody" in operation:
                assert "400" in answers, (method, path)
            if operation.get("security"):
                assert "401" in answers, (method, path)


def test_a_write_whose_answer_cannot_be_read_is_not_kept(site_tree, member, monkeypatch):
    """The database fails after the cancel was written, while its answer is read: the 503 must
    not stand for a change that was in fact made, so the cancel is rolled back with it."""
    from tests import factories
    from tests.volunteering.api_support import as_
    from volunteering.signups.models import SignUp

    activity = factories.ActivityPageFactory(parent=site_tree.community)
    signup = factories.SignUpFactory(activity=activity, member=member, state="approved")
    monkeypatch.setattr(
        "volunteering.activities.api._refetch", broken(OperationalError("connection lost"))
    )
    client = as_(member.user)
    client.client.raise_request_exception = False
    assert client.post(f"/signups/{signup.pk}/cancel").status_code == 503
    signup.refresh_from_db()
    assert signup.state == SignUp.State.APPROVED
