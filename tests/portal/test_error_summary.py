"""After a failed submit, every public form opens with one error summary that takes the focus
(`autofocus`, first in the document) and links each error to its field; the invalid fields say
so to screen readers. One include (includes/error_summary.html) through each form users send."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def autofocused(html: str) -> list[str]:
    """The tags carrying `autofocus`, in document order."""
    return re.findall(r"<[a-z]+[^>]*\sautofocus[\s>][^>]*>?", html)


def summary_of(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</div>", start)]


def test_a_failed_login_focuses_the_summary_before_the_username_field(client):
    factories.MemberFactory(user=factories.UserFactory(username="yang"))
    html = client.post("/accounts/login/", {"username": "yang", "password": "nope"}).content
    html = html.decode()
    focused = autofocused(html)
    assert focused and 'id="error-summary"' in focused[0]
    assert 'role="alert"' in focused[0] and 'tabindex="-1"' in focused[0]
    assert "用户名（或手机号）和密码不匹配" in summary_of(html)
    # Before any submit there is no summary, and the username field keeps its own focus.
    fresh = client.get("/accounts/login/").content.decode()
    assert 'id="error-summary"' not in fresh


def test_the_residents_form_links_each_error_to_its_field(site_tree, client):
    url = reverse("service:feedback_create", args=(site_tree.community.pk,))
    response = client.post(url, {"kind": "", "text": "", "phone": "call me"})
    html = response.content.decode()
    summary = summary_of(html)
    assert "请修改以下 3 处" in summary
    for target in ("#feedback_kind_0", "#feedback_text", "#feedback_phone"):
        assert f'href="{target}"' in summary, target
        assert f'id="{target[1:]}"' in html  # the link lands on the field itself
    assert 'aria-invalid="true"' in html
    assert re.search(r'aria-describedby="[^"]*feedback_text_error"', html)
    assert 'id="feedback_text_error"' in html  # the error the field points to
    assert 'id="error-summary"' in autofocused(html)[0]


def test_the_status_lookup_and_the_report_form_use_the_same_summary(site_tree, client):
    html = client.post("/feedback/status/", {"code": ""}).content.decode()
    assert 'href="#id_code"' in summary_of(html)
    member = factories.MemberFactory()
    client.force_login(member.user)
    url = reverse("service:report_create", args=(site_tree.community.pk,))
    html = client.post(url, {"kind": "nonsense"}).content.decode()
    assert 'id="error-summary"' in autofocused(html)[0]
    assert 'href="#id_kind_0"' in summary_of(html)  # a radio group: its first choice
