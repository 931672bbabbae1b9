"""A member's letters on "my service": the list with the unread marked, the unread count on
/my/, opening one marks it read; someone else's letter answers 404; the inbox costs the same
queries however many letters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from volunteering.letters.models import Delivery

INBOX = reverse("service:letter_inbox")


def detail(letter):
    return reverse("service:letter_detail", args=[letter.pk])


@pytest.fixture
def sent(notice, staff):
    factories.send_letter(letter=notice, by=staff)
    return notice


def test_the_inbox_lists_letters_with_the_unread_marked(client, member, sent):
    client.force_login(member.user)
    response = client.get(INBOX)
    html = response.content.decode()
    assert sent.title in html and "item--unread" in html and "1 封未读" in html


def test_my_service_shows_the_unread_count_and_links_to_the_inbox(client, member, sent):
    client.force_login(member.user)
    html = client.get(reverse("service:my_service")).content.decode()
    assert INBOX in html and "1 封未读" in html


def test_opening_a_letter_marks_it_read(client, member, sent):
    client.force_login(member.user)
    response = client.get(detail(sent))
    assert response.status_code == 200
    assert "请积极参加社区志愿服务。" in response.content.decode()
    delivery = Delivery.objects.get(member=member)
    assert delivery.read_at is not None
    first_read = delivery.read_at
    client.get(detail(sent))
    delivery.refresh_from_db()
    assert delivery.read_at == first_read
    assert "item--unread" not in client.get(INBOX).content.decode()


def test_someone_elses_letter_answers_404(client, sent, elsewhere):
    client.force_login(elsewhere.user)
    assert client.get(detail(sent)).status_code == 404
    assert sent.title not in client.get(INBOX).content.decode()


def test_a_letter_not_yet_sent_answers_404(client, member, notice):
    client.force_login(member.user)
    assert client.get(detail(notice)).status_code == 404


def test_an_unpublished_letter_leaves_the_inbox(client, member, sent):
    sent.live = False
    sent.save()
    client.force_login(member.user)
    assert client.get(detail(sent)).status_code == 404
    assert sent.title not in client.get(INBOX).content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client, sent):
    response = client.get(detail(sent))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_inbox_costs_the_same_queries_for_more_letters(
    client, community, member, staff, sent, django_assert_max_num_queries
):
    client.force_login(member.user)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for _ in range(5):
        letter = factories.LetterFactory(community=community, audience_community=community)
        factories.send_letter(letter=letter, by=staff)
    with django_assert_max_num_queries(len(one)):
        response = client.get(INBOX)
    assert len(response.context["letters_page"].object_list) == 6
