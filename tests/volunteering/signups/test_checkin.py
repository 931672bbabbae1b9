"""Attendance by check-in code: the member scans the QR code staff show at the venue."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from volunteering import errors
from volunteering.activities import views as activity_views
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_check_in, signup_create
from volunteering.signups.workflows import CHECKIN_MARGIN


@pytest.fixture
def activity(site_tree):
    starts = timezone.now() + datetime.timedelta(days=1)
    return factories.ActivityPageFactory(
        parent=site_tree.community,
        title="社区清洁日",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )


@pytest.fixture
def member(activity):
    # Overrides the conftest's `member`: already holding a place in `activity`.
    member = factories.MemberFactory()
    signup_create(activity=activity, member=member)
    return member


def checkin_url(activity):
    return activity.url + activity.reverse_subpage("checkin")


def move_to_now(activity, *, starts_in: datetime.timedelta):
    """Reschedule `activity` so that it starts `starts_in` from now (negative: started)."""
    activity.starts_at = timezone.now() + starts_in
    activity.ends_at = activity.starts_at + datetime.timedelta(hours=3)
    activity.save()


@pytest.mark.parametrize(
    "offset, allowed",
    [
        (-CHECKIN_MARGIN - datetime.timedelta(minutes=1), False),
        (-CHECKIN_MARGIN + datetime.timedelta(minutes=1), True),
        (datetime.timedelta(hours=2), True),
        (datetime.timedelta(hours=3) + CHECKIN_MARGIN - datetime.timedelta(minutes=1), True),
        (datetime.timedelta(hours=3) + CHECKIN_MARGIN + datetime.timedelta(minutes=1), False),
    ],
)
def test_checkin_is_valid_from_an_hour_before_start_to_an_hour_after_end(
    activity, member, offset, allowed
):
    now = activity.starts_at + offset
    if allowed:
        signup = signup_check_in(
            activity=activity, member=member, code=activity.checkin_code, now=now
        )
        assert signup.state == "attended"
        assert signup.checked_in_at is not None
    else:
        with pytest.raises(errors.ServiceError) as excinfo:
            signup_check_in(activity=activity, member=member, code=activity.checkin_code, now=now)
        assert excinfo.value.message == errors.CHECKIN_OUTSIDE_WINDOW
        assert SignUp.objects.get(member=member).state == "approved"


def test_a_wrong_code_is_refused(activity, member):
    with pytest.raises(errors.ServiceError) as excinfo:
        signup_check_in(activity=activity, member=member, code="wrong", now=activity.starts_at)
    assert excinfo.value.message == errors.CHECKIN_WRONG_CODE
    assert SignUp.objects.get(member=member).state == "approved"


def test_a_member_without_a_place_cannot_check_in(activity, member):
    stranger = factories.MemberFactory()
    with pytest.raises(errors.ServiceError) as excinfo:
        signup_check_in(
            activity=activity, member=stranger, code=activity.checkin_code, now=activity.starts_at
        )
    assert excinfo.value.message == errors.CHECKIN_NOT_APPROVED


def test_scanning_the_code_shows_a_confirm_button_and_changes_nothing(client, activity, member):
    move_to_now(activity, starts_in=datetime.timedelta(minutes=-10))
    client.force_login(member.user)
    response = client.get(f"{checkin_url(activity)}?code={activity.checkin_code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认签到" in html and activity.checkin_code in html
    assert "no-cache" in response["Cache-Control"]
    assert SignUp.objects.get(member=member).state == "approved"


def test_checking_in_through_the_page_records_attendance(client, activity, member):
    move_to_now(activity, starts_in=datetime.timedelta(minutes=-10))
    client.force_login(member.user)
    response = client.post(checkin_url(activity), {"code": activity.checkin_code})
    assert response.status_code == 302 and response["Location"] == activity.url
    assert SignUp.objects.get(member=member).state == "attended"
    assert str(activity_views.CHECKED_IN) in client.get(activity.url).content.decode()
    html = client.get(checkin_url(activity)).content.decode()
    assert "您已于" in html  # a second scan says it is done


def test_checking_in_outside_the_window_through_the_page_is_a_message(client, activity, member):
    client.force_login(member.user)  # the activity is tomorrow
    response = client.post(checkin_url(activity), {"code": activity.checkin_code})
    assert response.status_code == 302
    assert SignUp.objects.get(member=member).state == "approved"
    html = client.get(response["Location"]).content.decode()
    assert str(errors.CHECKIN_OUTSIDE_WINDOW) in html


def test_a_wrong_code_through_the_page_is_a_message(client, activity, member):
    move_to_now(activity, starts_in=datetime.timedelta(minutes=-10))
    client.force_login(member.user)
    response = client.post(checkin_url(activity), {"code": "x" * 500})
    assert response.status_code == 302
    assert str(errors.CHECKIN_WRONG_CODE) in client.get(response["Location"]).content.decode()
    assert SignUp.objects.get(member=member).state == "approved"


def test_anonymous_scan_is_asked_to_log_in_and_comes_back_with_the_code(client, activity):
    url = f"{checkin_url(activity)}?code={activity.checkin_code}"
    html = client.get(url).content.decode()
    assert "登录后签到" in html
    response = client.post(checkin_url(activity), {"code": activity.checkin_code})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "checkin" in response["Location"]


def test_only_that_communitys_staff_see_the_checkin_qr_code(client, activity, site_tree, member):
    url = activity.url + activity.reverse_subpage("checkin_qr")
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    assert client.get(url).status_code == 404
    client.force_login(factories.make_staff(site_tree.other_community))
    assert client.get(url).status_code == 404

    client.force_login(factories.make_staff(site_tree.community))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "qr-code" in html
    assert activity.checkin_code in html
    assert f"http://testserver{checkin_url(activity)}?code={activity.checkin_code}" in html
    assert "no-cache" in response["Cache-Control"]
