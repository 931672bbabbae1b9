"""Sending a letter: one delivery per recipient, created once and never inside the request;
the queue drained in throttled batches by email and text; resending to those who have not
opened it; the city's letters only once approved through the editorial workflow."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from portal import sms
from tests import factories
from volunteering.errors import ServiceError
from volunteering.letters import services
from volunteering.letters.models import Delivery, Letter
from volunteering.letters.sending import deliveries_drain, letter_message

Status = Delivery.Status


def test_sending_creates_one_queued_delivery_per_recipient_and_sends_nothing_yet(
    notice, staff, reported, elsewhere
):
    assert factories.send_letter(letter=notice, by=staff) == 2
    deliveries = Delivery.objects.filter(letter=notice)
    assert {d.member_id for d in deliveries} == {m.pk for m in reported}
    assert {d.status for d in deliveries} == {Status.QUEUED}
    assert mail.outbox == [] and sms.outbox == []
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.sent_by == staff
    entry = ModelLogEntry.objects.filter(action=services.SEND_ACTION).get()
    assert entry.data == {"recipients": 2} and entry.user == staff


def test_sending_twice_does_not_duplicate_deliveries(notice, staff, community):
    factories.send_letter(letter=notice, by=staff)
    assert factories.send_letter(letter=notice, by=staff) == 0
    newcomer = factories.MemberFactory()
    factories.ReportFactory(member=newcomer, community=community, state="confirmed")
    assert factories.send_letter(letter=notice, by=staff) == 1
    assert Delivery.objects.filter(letter=notice).count() == 3


def test_an_inbox_only_letter_is_delivered_at_once(community, reported, staff):
    letter = factories.LetterFactory(community=community, audience_community=community)
    factories.send_letter(letter=letter, by=staff)
    assert set(letter.deliveries.values_list("status", flat=True)) == {Status.SENT}
    assert deliveries_drain(limit=10) == 0


def test_the_drain_sends_in_batches_by_email_and_text(notice, staff, reported):
    factories.send_letter(letter=notice, by=staff)
    assert deliveries_drain(limit=1) == 1
    assert Delivery.objects.queued().count() == 1
    call_command("send_letters", verbosity=0)
    assert Delivery.objects.queued().count() == 0
    # one member has an email, both have a phone
    assert len(mail.outbox) == 1 and len(sms.outbox) == 2
    first = Delivery.objects.get(member=reported[0])
    assert (first.email_status, first.text_status, first.status) == ("sent", "sent", "sent")
    second = Delivery.objects.get(member=reported[1])
    assert (second.email_status, second.text_status) == ("", "sent")


def test_the_periodic_job_drains_letters(notice, staff):
    factories.send_letter(letter=notice, by=staff)
    call_command("run_periodic", once=True)
    assert Delivery.objects.queued().count() == 0


def test_a_failed_text_marks_the_delivery_failed(notice, staff, reported, monkeypatch):
    def refuse(to, body, **kwargs):
        raise RuntimeError("gateway down")

    monkeypatch.setattr("volunteering.letters.sending.send_text", refuse)
    factories.send_letter(letter=notice, by=staff)
    deliveries_drain(limit=10)
    assert set(notice.deliveries.values_list("status", "text_status")) == {("failed", "failed")}


def test_the_drain_costs_the_same_queries_for_a_bigger_batch(
    notice, staff, community, django_assert_max_num_queries
):
    for _ in range(10):
        extra = factories.MemberFactory()
        factories.ReportFactory(member=extra, community=community, state="confirmed")
    factories.send_letter(letter=notice, by=staff)
    with django_assert_max_num_queries(8):
        deliveries_drain(limit=50)


def test_email_and_text_say_who_writes_and_link_to_the_letter_in_the_inbox(notice, staff):
    notice.signature = "麒麟社区党委"
    notice.save()
    message = letter_message(notice)
    url = f"http://testserver/my/letters/{notice.pk}/"
    assert notice.title in message["subject"] and "麒麟社区党委" in message["subject"]
    assert "请积极参加社区志愿服务。" in message["body"] and url in message["body"]
    assert "<p>" not in message["body"]
    assert notice.title in message["text"] and url in message["text"]


def test_resend_requeues_only_the_unread(notice, staff, reported):
    factories.send_letter(letter=notice, by=staff)
    deliveries_drain(limit=10)
    read = Delivery.objects.get(member=reported[0])
    services.delivery_mark_read(delivery=read)
    mail.outbox.clear()
    sms.outbox.clear()
    assert services.letter_resend_unread(letter=notice, by=staff) == 1
    unread = Delivery.objects.get(member=reported[1])
    assert (unread.status, unread.text_status, unread.email_status) == ("queued", "queued", "")
    deliveries_drain(limit=10)
    assert len(sms.outbox) == 1 and mail.outbox == []
    assert ModelLogEntry.objects.filter(action=services.RESEND_ACTION).count() == 1


def test_resend_before_sending_is_refused(notice, staff):
    with pytest.raises(ServiceError) as error:
        services.letter_resend_unread(letter=notice, by=staff)
    assert error.value.message == services.LETTER_NOT_SENT_YET


def test_a_draft_community_notice_is_published_as_it_is_sent(community, reported, staff):
    letter = factories.LetterFactory(community=community, audience_community=community, live=False)
    factories.send_letter(letter=letter, by=staff)
    letter.refresh_from_db()
    assert letter.live and letter.live_revision is not None


# --- The city's letters: through the editorial workflow ---------------------------------------


@pytest.fixture
def city_letter(city, reported):
    return factories.LetterFactory(
        sender=Letter.Sender.CITY, audience=Letter.Audience.ALL, title="告全体在职党员信"
    )


def test_a_city_letter_goes_through_the_citys_workflow(city_letter):
    assert city_letter.has_workflow
    assert city_letter.get_workflow().name == "编辑部审核 → 发布审批"


def test_a_community_notice_has_no_workflow(notice):
    assert notice.get_workflow() is None


def test_a_city_letter_cannot_be_sent_before_it_is_approved(city_letter, city):
    with pytest.raises(ServiceError) as error:
        factories.send_letter(letter=city_letter, by=city)
    assert error.value.message == services.LETTER_NOT_APPROVED
    city_letter.save_revision(user=city)
    city_letter.get_workflow().start(city_letter, city)
    with pytest.raises(ServiceError) as error:
        factories.send_letter(letter=Letter.objects.get(pk=city_letter.pk), by=city)
    assert error.value.message == services.LETTER_IN_REVIEW
    assert not Delivery.objects.exists()


def test_a_city_letter_approved_through_every_step_is_sent_to_every_member(
    city_letter, city, reported, elsewhere
):
    reviewer = factories.make_reviewer(username="city-reviewer")
    city_letter.save_revision(user=city)
    city_letter.get_workflow().start(city_letter, city)
    for _step in range(2):
        letter = Letter.objects.get(pk=city_letter.pk)
        letter.current_workflow_task_state.approve(user=reviewer)
    letter = Letter.objects.get(pk=city_letter.pk)
    assert letter.live
    assert factories.send_letter(letter=letter, by=city) == 3


def test_the_city_cannot_publish_its_letters_directly(city):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Letter)
    assert not policy.user_has_permission(city, "publish")


def test_sending_costs_the_same_queries_for_more_recipients(community, reported, staff):
    def send_to_community():
        letter = factories.LetterFactory(community=community, audience_community=community)
        with CaptureQueriesContext(connection) as queries:
            services.letter_send(letter=letter, by=staff)
        return len(queries)

    few = send_to_community()
    for _ in range(30):
        extra = factories.MemberFactory()
        factories.ReportFactory(member=extra, community=community, state="confirmed")
    assert send_to_community() <= few
