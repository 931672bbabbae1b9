"""The activity editor refuses dates in an impossible order (a cancellation deadline before
sign-up closes, sign-up closing after the start, …) with a translated message on the field,
and saves nothing."""

import datetime

import pytest
from django.utils import timezone

from tests.workflows.editorial_helpers import DATETIME, activity_form, add_url, staff_of
from volunteering.activities.models import ActivityPage

STARTS = timezone.localtime() + datetime.timedelta(days=7)


def at(**delta) -> str:
    """A time relative to the activity's start (`activity_form` starts it 7 days from now)."""
    return (STARTS + datetime.timedelta(**delta)).strftime(DATETIME)


@pytest.fixture
def staff(site_tree):
    return staff_of(site_tree.community, "qilin-staff")


def post(client, site_tree, **dates):
    data = activity_form("楼道清理", "tidy", starts_at=STARTS.strftime(DATETIME), **dates)
    data["ends_at"] = at(hours=2)
    return client.post(add_url(ActivityPage, site_tree.community), data)


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        (
            {"signup_closes_at": at(days=-1), "cancel_deadline": at(days=-2)},
            "cancel_deadline",
            "取消报名截止时间不能早于报名截止时间：报名截止前报名的党员都应能取消。",
        ),
        (
            {"signup_closes_at": at(hours=1)},
            "signup_closes_at",
            "报名截止时间不能晚于活动开始时间。",
        ),
        ({"signup_opens_at": at(hours=1)}, "signup_opens_at", "报名开始时间必须早于活动开始时间。"),
        (
            {"cancel_deadline": at(minutes=30)},
            "cancel_deadline",
            "取消报名截止时间不能晚于活动开始时间。",
        ),
        (
            {"signup_opens_at": at(days=-2), "cancel_deadline": at(days=-3)},
            "cancel_deadline",
            "取消报名截止时间必须晚于报名开始时间。",
        ),
        (
            {"signup_opens_at": at(days=-2), "signup_closes_at": at(days=-3)},
            "signup_closes_at",
            "报名截止时间必须晚于报名开始时间。",
        ),
    ],
)
def test_impossible_date_orders_are_refused_on_the_field(
    client, site_tree, staff, dates, field, message
):
    client.force_login(staff)
    response = post(client, site_tree, **dates)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not ActivityPage.objects.filter(slug="tidy").exists()


def test_dates_in_order_are_saved(client, site_tree, staff):
    client.force_login(staff)
    response = post(
        client,
        site_tree,
        signup_opens_at=at(days=-10),
        signup_closes_at=at(days=-1),
        cancel_deadline=at(days=-1),
    )
    assert response.status_code == 302
    assert ActivityPage.objects.filter(slug="tidy").exists()
