"""Public notices (在宣传栏公开): a letter its staff made public is read at /notices/<id>/ by
anyone who scans the printed notice's QR code, without signing in; any other letter answers 404
there. The print view's QR code points to it when public, else to the inbox with a line saying
members sign in; a community's page lists its public notices. Each page in a fixed number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localtime

from tests import factories
from volunteering.letters.models import Letter

NOTICE_QUERIES = 5  # the letter (its sender with it), and the frame every public page has


def notice_url(letter):
    return reverse("service:notice_detail", args=[letter.pk])


def admin_url(name, letter=None):
    return reverse(f"volunteering_letter:{name}", args=[letter.pk] if letter else [])


@pytest.fixture
def qilin_admin(community):
    return factories.community_staff(community, "qilin-admin")


@pytest.fixture
def public_notice(community, reported, staff):
    letter = factories.LetterFactory(
        community=community,
        audience_community=community,
        public=True,
        title="关于周末清扫楼道的通知",
        signature="麒麟社区党委",
    )
    factories.send_letter(letter=letter, by=staff)
    return letter


def test_a_public_notice_is_read_without_signing_in(client, public_notice):
    response = client.get(notice_url(public_notice))
    html = response.content.decode()
    assert response.status_code == 200
    assert "关于周末清扫楼道的通知" in html and "麒麟社区党委" in html
    assert "请积极参加社区志愿服务。" in html
    public_notice.refresh_from_db()
    assert localtime(public_notice.sent_at).strftime("%Y年%-m月%-d日") in html


@pytest.mark.parametrize(
    "changes",
    [{"public": False}, {"live": False}],
    ids=["not-public", "draft"],
)
def test_a_letter_not_public_or_not_live_answers_404(client, public_notice, changes):
    Letter.objects.filter(pk=public_notice.pk).update(**changes)
    assert client.get(notice_url(public_notice)).status_code == 404


def test_a_letter_that_does_not_exist_answers_404(client, db):
    assert client.get(reverse("service:notice_detail", args=[999999])).status_code == 404


def test_the_public_notice_costs_a_fixed_number_of_queries(
    client, public_notice, django_assert_max_num_queries
):
    client.get(notice_url(public_notice))  # the site's settings, cached
    with django_assert_max_num_queries(NOTICE_QUERIES):
        client.get(notice_url(public_notice))


def test_the_print_qr_code_opens_the_public_notice(client, public_notice, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(admin_url("print", public_notice)).content.decode()
    assert f"http://testserver/notices/{public_notice.pk}/" in html
    assert "/my/letters/" not in html and "在职党员登录后阅读" not in html


def test_the_print_qr_code_of_a_letter_not_public_opens_the_inbox(client, notice, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(admin_url("print", notice)).content.decode()
    assert f"http://testserver/my/letters/{notice.pk}/" in html
    assert "在职党员登录后阅读" in html and "/notices/" not in html


def test_the_admin_form_offers_public_and_saves_it(client, community, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(admin_url("add")).content.decode()
    assert 'name="public"' in html and "无需登录即可阅读全文" in html
    data = {
        "title": "公开通知",
        "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "请周知。", '
        '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "sender": "community",
        "community": community.pk,
        "audience": "community",
        "audience_community": community.pk,
        "public": "on",
    }
    response = client.post(admin_url("add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Letter.objects.get(title="公开通知").public


def test_new_letters_are_not_public(notice):
    assert notice.public is False


def test_the_community_page_lists_its_public_notices(client, community, public_notice, notice):
    html = client.get(community.url).content.decode()
    assert "社区通知" in html and notice_url(public_notice) in html
    assert notice_url(notice) not in html  # not public


def test_a_community_without_public_notices_shows_no_section(client, community, notice):
    assert "社区通知" not in client.get(community.url).content.decode()


def test_the_community_page_costs_the_same_queries_for_more_notices(
    client, community, public_notice, django_assert_max_num_queries
):
    client.get(community.url)
    with CaptureQueriesContext(connection) as one:
        client.get(community.url)
    for _ in range(4):
        factories.LetterFactory(community=community, audience_community=community, public=True)
    with django_assert_max_num_queries(len(one)):
        html = client.get(community.url).content.decode()
    assert html.count('href="/notices/') == 5
