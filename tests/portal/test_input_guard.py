"""NUL, the other control characters and lone surrogates are refused at the door
(`portal.input_guard`): a 400 that says why, in the visitor's language (JSON under /api/), and
nothing written — wherever they come in: a path, a query string, a form, an API body. Each case
here answered 500 on PostgreSQL before the guard (the driver refuses NUL in text)."""

import json

from django.urls import reverse

from portal.input_guard import REFUSED
from tests import factories
from tests.volunteering.api_support import API, as_, detail
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.voice.models import Feedback

REFUSED_ZH = "提交的内容含有不允许的控制字符"


def refused_page(response) -> bool:
    return response.status_code == 400 and REFUSED_ZH in response.content.decode()


def test_a_nul_in_a_query_string_is_refused_with_a_page_that_says_why(site_tree, client):
    response = client.get(site_tree.news.url, {"tag": "\x00"})
    assert refused_page(response)
    assert "返回首页" in response.content.decode()  # the portal's own frame, not a bare error


def test_the_refusal_is_in_english_for_an_english_visitor(site_tree, client):
    client.cookies["django_language"] = "en"
    response = client.get(site_tree.news.url, {"tag": "\x00"})
    assert response.status_code == 400
    assert "control characters" in response.content.decode()


def test_a_nul_in_the_path_is_refused(db, client):
    assert refused_page(client.get("/calendar/member/%00.ics"))


BEYOND_ANY_COLUMN = 2**63  # one more than a signed 64-bit integer holds


def test_an_id_beyond_any_column_is_a_404_not_a_500(site_tree, member, client, admin_client):
    """Found by the members' fuzz test: /my/letters/<2**63>/ reached SQLite (OverflowError)."""
    client.force_login(member.user)
    assert client.get(f"/my/letters/{BEYOND_ANY_COLUMN}/").status_code == 404
    assert admin_client.get(f"/admin/pages/{BEYOND_ANY_COLUMN}/").status_code == 404
    # The API validates its own path parameters: a documented 422, in JSON.
    response = client.get(f"/api/v1/activities/{BEYOND_ANY_COLUMN}")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
    # The largest id a column holds is an ordinary miss, answered by the view.
    assert client.get(f"/my/letters/{BEYOND_ANY_COLUMN - 1}/").status_code == 404


def test_a_nul_in_the_token_request_is_refused_as_json_before_any_login(db, client):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "abc\x00", "password": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json"
    assert REFUSED_ZH in detail(response)


def test_a_lone_surrogate_in_json_is_refused(db, client):
    response = client.post(
        "/api/v1/auth/token",
        '{"username": "\\ud800", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert REFUSED_ZH in detail(response)


def test_a_raw_control_character_in_json_is_refused_too(db, client):
    """Only bodies with a \\u escape are decoded by the guard. JSON itself refuses a raw control
    character in a string (the API's 400 for a body that is not JSON); a raw DEL, which JSON
    allows, is the guard's (422)."""
    raw = client.post(
        "/api/v1/auth/token",
        '{"username": "a\x01b", "password": "x"}',
        content_type="application/json",
    )
    assert raw.status_code == 400 and raw["Content-Type"].startswith("application/json")
    delete = client.post(
        "/api/v1/auth/token",
        '{"username": "a\x7fb", "password": "x"}',
        content_type="application/json",
    )
    assert delete.status_code == 422 and REFUSED_ZH in detail(delete)


def test_a_report_note_with_a_nul_writes_nothing(site_tree, member):
    response = as_(member.user).post(
        "/reports", {"community": site_tree.community.pk, "kind": "voluntary", "note": "a\x00"}
    )
    assert response.status_code == 422
    assert not Report.objects.exists()


def test_a_cancel_reason_with_a_nul_changes_nothing(site_tree, member):
    activity = factories.ActivityPageFactory(parent=site_tree.community)
    signup = factories.SignUpFactory(activity=activity, member=member, state="approved")
    response = as_(member.user).post(f"/signups/{signup.pk}/cancel", {"reason": "\x00"})
    assert response.status_code == 422
    signup.refresh_from_db()
    assert signup.state == SignUp.State.APPROVED


def test_a_residents_form_with_a_control_character_saves_nothing(site_tree, client):
    url = reverse("service:feedback_create", args=(site_tree.community.pk,))
    data = {"kind": "help", "name": "王阿姨", "phone": "13912345678"}
    response = client.post(url, {**data, "text": "路灯坏了两个星期\x1b，请帮忙联系维修。"})
    assert refused_page(response)
    assert not Feedback.objects.exists()


def test_line_breaks_and_tabs_are_ordinary_text(site_tree, client):
    url = reverse("service:feedback_create", args=(site_tree.community.pk,))
    text = "小区3栋门口的路灯坏了两个星期，\r\n晚上出行不便，\t请帮忙联系维修。"
    data = {"kind": "help", "name": "王阿姨", "phone": "13912345678", "text": text}
    assert client.post(url, data).status_code == 302
    assert Feedback.objects.get().text.startswith("小区3栋")


def test_the_api_documents_the_refusal(db, client):
    # Every status the API may answer is in its document (the guard's 422 too).
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    token = paths["/api/v1/auth/token"]["post"]["responses"]
    assert "422" in token, sorted(token)


def test_the_message_is_translated():
    from django.utils import translation

    with translation.override("en"):
        assert "control characters" in str(REFUSED)
