"""Who may cancel a letter's scheduled publication: Wagtail asks the letter policy for
"publish", as for publishing and unpublishing. A community's staff publish their own notices,
so they may; the city (a superuser included) publishes letters only through the editorial
workflow, so it may not, and is neither offered the link nor let through the address.

Noticed by the staff-side corpus test (a superuser refused where a community's staff were let
through) and kept as it is: unscheduling is taking back a publication, which the policy gives to
whoever publishes; the letters' editor has no scheduling fields, so only a revision approved
with a date in the future (none of the admin's forms makes one) is ever scheduled."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from volunteering.letters.models import Letter


@pytest.fixture
def scheduled(community):
    letter = factories.LetterFactory(
        title="定时发布的通知",
        community=community,
        audience_community=community,
        sender=Letter.Sender.COMMUNITY,
        live=False,
    )
    revision = letter.save_revision(log_action=True)  # a history row to offer the link on
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(days=2)
    revision.save()
    return letter, revision


def urls(letter, revision) -> tuple[str, str]:
    return (
        reverse("volunteering_letter:history", args=[letter.pk]),
        reverse("volunteering_letter:revisions_unschedule", args=[letter.pk, revision.pk]),
    )


def test_the_senders_staff_are_offered_the_unscheduling_and_may_do_it(client, scheduled, community):
    letter, revision = scheduled
    history, unschedule = urls(letter, revision)
    client.force_login(factories.community_staff(community, "staff-schedule"))
    assert unschedule in client.get(history).content.decode()
    assert client.post(unschedule).status_code == 302
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


@pytest.mark.parametrize("who", ["superuser", "city"])
def test_the_city_is_neither_offered_the_unscheduling_nor_let_through(client, scheduled, who):
    letter, revision = scheduled
    history, unschedule = urls(letter, revision)
    if who == "superuser":
        user = factories.UserFactory(username="root-schedule", is_superuser=True)
    else:
        user = factories.city_user("city-schedule")
    client.force_login(user)
    page = client.get(history)
    assert page.status_code == 200  # the city sees the letter and its history
    assert unschedule not in page.content.decode()
    for response in (client.get(unschedule), client.post(unschedule)):
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's refusal
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
