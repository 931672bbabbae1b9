"""A send creates no delivery inside the request: it records the send and, once committed,
the task `fan_out_letter` creates the deliveries in chunks; a fan-out interrupted midway is
finished by the periodic job. Two drains running at once never send one delivery twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from portal import sms
from tests import factories
from volunteering.letters import sending, services, tasks
from volunteering.letters.models import Delivery, Letter


@pytest.fixture
def crowd(community, reported):
    """Five more members reported to 麒麟社区: seven recipients in all."""
    for _ in range(5):
        extra = factories.MemberFactory()
        factories.ReportFactory(member=extra, community=community, state="confirmed")


def test_the_send_queues_the_fan_out_for_after_the_commit(
    notice, staff, reported, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.letter_send(letter=notice, by=staff) == 2
        assert not Delivery.objects.exists()  # nothing created inside the request
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.fan_out_queued_at is not None
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the immediate backend runs the task at once
    notice.refresh_from_db()
    assert notice.fan_out_queued_at is None
    assert Delivery.objects.filter(letter=notice).count() == 2


def test_the_fan_out_creates_the_deliveries_in_chunks(notice, staff, crowd, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 2)
    services.letter_send(letter=notice, by=staff)
    assert sending.letter_fan_out(notice) == 7
    assert Delivery.objects.filter(letter=notice).count() == 7
    assert sending.letter_fan_out(notice) == 0  # once only


def test_a_fan_out_interrupted_midway_is_finished_by_the_periodic_job(
    notice, staff, crowd, monkeypatch
):
    monkeypatch.setattr(sending, "CHUNK", 3)
    create = Delivery.objects.bulk_create
    calls = []

    def fail_after_the_first_chunk(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) > 1:
            raise RuntimeError("worker stopped")
        return create(objs, **kwargs)

    services.letter_send(letter=notice, by=staff)
    monkeypatch.setattr(Delivery.objects, "bulk_create", fail_after_the_first_chunk)
    with pytest.raises(RuntimeError):
        sending.letter_fan_out(notice)
    assert Delivery.objects.filter(letter=notice).count() == 3  # the first chunk is kept
    assert Letter.objects.get(pk=notice.pk).fan_out_queued_at is not None
    monkeypatch.setattr(Delivery.objects, "bulk_create", create)
    call_command("send_letters", verbosity=0)
    assert Delivery.objects.filter(letter=notice).count() == 7
    assert Letter.objects.get(pk=notice.pk).fan_out_queued_at is None


def test_the_task_does_nothing_for_a_fan_out_already_finished(notice, staff):
    factories.send_letter(letter=notice, by=staff)
    assert tasks.fan_out_letter.call(notice.pk) == 0
    assert Delivery.objects.filter(letter=notice).count() == 2


def test_a_send_during_a_fan_out_keeps_the_letter_pending(notice, staff, community, monkeypatch):
    """A member reported while a fan-out runs, past its reading: the second send's own fan-out
    reaches them, so the first does not mark the letter done."""
    started = timezone.now() - datetime.timedelta(seconds=10)
    services.letter_send(letter=notice, by=staff, now=started)
    late = factories.MemberFactory()
    factories.ReportFactory(member=late, community=community, state="confirmed")
    later = started + datetime.timedelta(seconds=5)
    services.letter_send(letter=notice, by=staff, now=later)
    sending.letter_fan_out(notice, now=started)  # began before the second send
    assert Letter.objects.get(pk=notice.pk).fan_out_queued_at == later
    call_command("send_letters", verbosity=0)
    assert Letter.objects.get(pk=notice.pk).fan_out_queued_at is None
    assert notice.deliveries.filter(member=late).exists()


def test_two_drains_at_once_never_send_one_delivery_twice(notice, staff, crowd, monkeypatch):
    """While one drain sends its batch, a second drain (the periodic job beside the task)
    finds those deliveries claimed and takes the next ones only."""
    factories.send_letter(letter=notice, by=staff)
    send_text = sending.send_text
    second: list[int] = []
    started = []

    def send_and_meanwhile_drain_again(to, body, **kwargs):
        if not started:  # once, during the first drain's first text
            started.append(True)
            second.append(sending.deliveries_drain(limit=100))
        return send_text(to, body, **kwargs)

    monkeypatch.setattr(sending, "send_text", send_and_meanwhile_drain_again)
    first = sending.deliveries_drain(limit=4)
    assert first == 4 and second == [3]  # the second took the three the first left
    phones = [message.to for message in sms.outbox]
    assert len(phones) == 7 and len(set(phones)) == 7
    addresses = [message.to[0] for message in mail.outbox]
    assert addresses and len(addresses) == len(set(addresses))
    assert not Delivery.objects.queued().exists()
    assert not Delivery.objects.filter(claim__isnull=False).exists()


def test_a_claimed_batch_is_skipped_until_its_claim_lapses(notice, staff, reported):
    factories.send_letter(letter=notice, by=staff)
    now = Delivery.objects.first().queued_at
    sending.claim_batch(limit=10, now=now)  # a drain that died before sending
    assert sending.deliveries_drain(limit=10, now=now) == 0
    later = now + sending.CLAIM_LEASE + datetime.timedelta(seconds=1)
    assert sending.deliveries_drain(limit=10, now=later) == 2
    assert not Delivery.objects.queued().exists()


def test_the_deliveries_page_says_while_the_fan_out_is_under_way(client, notice, staff, community):
    services.letter_send(letter=notice, by=staff)  # not committed: the fan-out waits
    client.force_login(factories.community_staff(community, "qilin-admin"))
    url = reverse("volunteering_letter:deliveries", args=[notice.pk])
    assert "正在为收信人生成收信记录" in client.get(url).content.decode()
    sending.letter_fan_out(notice)
    assert "正在为收信人生成收信记录" not in client.get(url).content.decode()


DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_with_a_worker_the_send_enqueues_the_fan_out_which_enqueues_the_drain(
    notice, staff, settings, django_capture_on_commit_callbacks
):
    """As in production (a backend that defers, run by a worker): the request only enqueues."""
    settings.TASKS = DEFERRING

    def enqueued() -> list[str]:  # ours (Wagtail enqueues its own too)
        names = (result.task.name for result in default_task_backend.results)
        return [name for name in names if name in ("fan_out_letter", "drain_letters")]

    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=notice, by=staff)
    assert enqueued() == ["fan_out_letter"]
    assert not Delivery.objects.exists()
    assert tasks.fan_out_letter.call(notice.pk) == 2
    assert enqueued() == ["fan_out_letter", "drain_letters"]
