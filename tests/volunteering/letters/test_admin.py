"""The letters' admin: written once in the snippet editor (the city's letters submitted to the
workflow, a community's notices published by its staff), sent after seeing the recipient count
and confirming, followed per recipient, printed for the bulletin board; each letter seen only
by its sender's staff, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from volunteering.letters import services
from volunteering.letters.models import Delivery, Letter


@pytest.fixture
def qilin_admin(community):
    return factories.community_staff(community, "qilin-admin")


def url(name, letter=None):
    args = [letter.pk] if letter is not None else []
    return reverse(f"volunteering_letter:{name}", args=args)


def form_data(community, **overrides):
    data = {
        "title": "关于开展环境整治志愿服务的通知",
        "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "请报名参加。", '
        '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "signature": "麒麟社区党委",
        "sender": "community",
        "community": community.pk,
        "audience": "community",
        "audience_community": community.pk,
    }
    data.update(overrides)
    return data


def test_community_staff_write_a_notice_in_the_admin(client, community, qilin_admin):
    client.force_login(qilin_admin)
    response = client.post(url("add"), form_data(community))
    assert response.status_code == 302, response.context["form"].errors
    letter = Letter.objects.get()
    assert letter.author == qilin_admin and letter.community == community
    assert not letter.live  # saved as a draft; published when sent


def test_picking_another_community_is_refused_with_a_clear_error(
    client, community, other_community, qilin_admin
):
    client.force_login(qilin_admin)
    response = client.post(url("add"), form_data(community, audience_community=other_community.pk))
    assert response.status_code == 200
    assert not Letter.objects.exists()
    assert "audience_community" in response.context["form"].errors


def test_the_city_submits_its_letter_to_the_workflow(client, city, community, reported):
    client.force_login(city)
    data = form_data(community, sender="city", audience="all", title="告全体在职党员信")
    data["action-submit"] = "submit"
    response = client.post(url("add"), data)
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.workflow_in_progress and not letter.live
    assert letter.community is None and letter.audience_community is None  # cleared


def test_send_shows_the_count_then_asks_for_confirmation(
    client, notice, qilin_admin, django_capture_on_commit_callbacks
):
    client.force_login(qilin_admin)
    response = client.get(url("send", notice))
    assert response.status_code == 200
    assert response.context["recipients"] == 2
    assert "收信人数：2 位在职党员" in response.content.decode()
    response = client.post(url("send", notice), {})
    assert response.status_code == 200 and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send", notice), {"confirm": "on"})
    assert response.status_code == 302
    assert Delivery.objects.filter(letter=notice).count() == 2


def test_a_city_letter_in_draft_shows_why_it_cannot_be_sent(client, city, reported):
    letter = factories.LetterFactory(sender="city", audience="all")
    client.force_login(city)
    response = client.get(url("send", letter))
    assert response.context["problem"] == services.LETTER_NOT_APPROVED
    client.post(url("send", letter), {"confirm": "on"})
    assert not Delivery.objects.exists()


def test_deliveries_show_counts_and_filter_by_status(client, notice, qilin_admin, reported):
    factories.send_letter(letter=notice, by=qilin_admin)
    services.delivery_mark_read(delivery=Delivery.objects.get(member=reported[0]))
    client.force_login(qilin_admin)
    response = client.get(url("deliveries", notice))
    counts = response.context["counts"]
    assert (counts.total, counts.queued, counts.read) == (2, 2, 1)
    response = client.get(url("deliveries", notice) + "?status=unread")
    assert [d.member for d in response.context["page"].object_list] == [reported[1]]


def test_resend_from_the_admin(client, notice, qilin_admin):
    factories.send_letter(letter=notice, by=qilin_admin)
    Delivery.objects.update(status="sent", text_status="sent")
    client.force_login(qilin_admin)
    response = client.post(url("resend", notice))
    assert response.status_code == 302
    assert Delivery.objects.filter(status="queued").count() == 2


def test_another_communitys_staff_cannot_open_the_letter(client, notice, other_community):
    client.force_login(factories.community_staff(other_community, "fangcheng-admin"))
    for name in ("edit", "send", "deliveries", "print", "history"):
        assert client.get(url(name, notice)).status_code == 404, name
    assert client.post(url("send", notice), {"confirm": "on"}).status_code == 404
    assert not Delivery.objects.exists()
    assert list(client.get(url("list")).context["object_list"]) == []


def test_the_print_view_renders_the_letter_and_a_qr_code(client, notice, qilin_admin):
    notice.signature = "麒麟社区党委"
    notice.save()
    client.force_login(qilin_admin)
    response = client.get(url("print", notice))
    html = response.content.decode()
    assert response.status_code == 200
    assert notice.title in html and "麒麟社区党委" in html
    assert 'class="qr-code"' in html and "扫码阅读全文" in html
    assert f"http://testserver/my/letters/{notice.pk}/" in html


def test_the_list_offers_send_deliveries_and_print(client, notice, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(url("list")).content.decode()
    for name in ("send", "deliveries", "print"):
        assert url(name, notice) in html


def test_the_list_costs_the_same_queries_for_more_letters(
    client, community, qilin_admin, reported, django_assert_max_num_queries
):
    def letters(n):
        for _ in range(n):
            letter = factories.LetterFactory(community=community, audience_community=community)
            factories.send_letter(letter=letter, by=qilin_admin)

    client.force_login(qilin_admin)
    letters(1)
    client.get(url("list"))
    with CaptureQueriesContext(connection) as one:
        client.get(url("list"))
    letters(5)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url("list"))
    assert len(response.context["object_list"]) == 6


def test_a_city_reviewer_opens_the_letter_waiting_on_them_and_no_other(client, city, reported):
    letter = factories.LetterFactory(sender="city", audience="all")
    letter.save_revision(user=city)
    letter.get_workflow().start(letter, city)
    reviewer = factories.make_reviewer(username="city-reviewer")
    client.force_login(reviewer)
    assert client.get(url("edit", letter)).status_code == 200
    other = factories.LetterFactory(sender="city", audience="all")
    assert client.get(url("edit", other)).status_code == 404
    assert client.get(url("send", letter)).status_code == 404  # reviewing is not sending


def test_community_staff_see_publish_and_the_city_only_submit(client, community, city, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(url("add")).content.decode()
    assert 'name="action-publish"' in html and 'name="action-submit"' not in html
    client.force_login(city)
    html = client.get(url("add")).content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html


def test_the_editor_links_to_send_deliveries_and_print(client, notice, qilin_admin):
    client.force_login(qilin_admin)
    html = client.get(url("edit", notice)).content.decode()
    for name in ("send", "deliveries", "print"):
        assert url(name, notice) in html


def test_a_sent_letter_is_kept(client, notice, qilin_admin):
    factories.send_letter(letter=notice, by=qilin_admin)
    client.force_login(qilin_admin)
    response = client.post(url("delete", notice))
    assert response.status_code == 302 and Letter.objects.filter(pk=notice.pk).exists()
    assert Delivery.objects.filter(letter=notice).count() == 2


def test_a_letter_not_sent_yet_may_be_deleted_by_its_staff(client, notice, qilin_admin):
    client.force_login(qilin_admin)
    client.post(url("delete", notice))
    assert not Letter.objects.filter(pk=notice.pk).exists()
