"""The activities and sign-ups of the JSON API (/api/v1/activities…, /signups…, /me/signups):
listing and filters, details, signing up, cancelling, approving and rejecting, every error
code, the permission rules per role, and bounded query counts."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories
from tests.volunteering.api_support import anonymous, as_, detail
from volunteering import errors
from volunteering.activities.api import ACTIVITY_NOT_FOUND, SIGNUP_NOT_FOUND
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_create
from workflows import statemachine


@pytest.fixture
def activity(site_tree):
    return factories.ActivityPageFactory(parent=site_tree.community, title="清扫楼道", capacity=2)


@pytest.fixture
def approval_activity(site_tree):
    return factories.ActivityPageFactory(
        parent=site_tree.community, title="义诊", capacity=2, needs_approval=True
    )


# --- Activities ---------------------------------------------------------------------------


def test_activities_list_only_live_public_activities_still_to_come(site_tree, activity):
    factories.ActivityPageFactory(parent=site_tree.community, title="草稿", live=False)
    past = timezone.now() - timedelta(days=3)
    factories.ActivityPageFactory(
        parent=site_tree.community,
        title="已结束",
        starts_at=past,
        ends_at=past + timedelta(hours=2),
    )
    private = factories.ActivityPageFactory(parent=site_tree.community, title="内部活动")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = anonymous().get("/activities")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["title"] == "清扫楼道"
    assert row["community"] == {"id": site_tree.community.pk, "title": "麒麟社区"}
    assert row["county"] == {"id": site_tree.county.pk, "title": "麒麟区"}
    assert (row["capacity"], row["places_left"], row["signup_open"]) == (2, 2, True)


def test_activities_filter_by_community_county_dates_and_skill(site_tree, activity):
    law = factories.SkillFactory(name="法律咨询")
    in_two_weeks = timezone.now() + timedelta(days=14)
    other = factories.ActivityPageFactory(
        parent=site_tree.other_community,
        title="法律咨询进社区",
        starts_at=in_two_weeks,
        ends_at=in_two_weeks + timedelta(hours=2),
    )
    other.skills.add(law)
    other.save_revision().publish()
    elsewhere = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区")

    def titles(**params):
        response = anonymous().get("/activities", **params)
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["items"]]

    assert titles() == ["清扫楼道", "法律咨询进社区"]
    assert titles(community=site_tree.other_community.pk) == ["法律咨询进社区"]
    assert titles(county=site_tree.county.pk) == ["清扫楼道", "法律咨询进社区"]
    assert titles(county=elsewhere.pk) == []
    assert titles(skill=law.pk) == ["法律咨询进社区"]
    day = timezone.localdate(in_two_weeks)
    assert titles(**{"from": day.isoformat()}) == ["法律咨询进社区"]
    assert titles(to=(day - timedelta(days=1)).isoformat()) == ["清扫楼道"]
    assert titles(community=999_999) == []
    assert titles(skill=999_999) == []


def test_activities_are_paginated(site_tree):
    for _i in range(5):
        factories.ActivityPageFactory(parent=site_tree.community)
    body = anonymous().get("/activities", page=2, page_size=2).json()
    assert body["count"] == 5
    assert len(body["items"]) == 2
    assert anonymous().get("/activities", page=9, page_size=2).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"community": "abc"},
        {"county": "1.5"},
        {"from": "yesterday"},
        {"to": "2024-02-30"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"skill": str(10**30)},
        {"page": "0"},
        {"page": str(10**30)},
        {"page_size": "1000"},
    ],
)
def test_bad_activity_filters_are_refused_with_422(site_tree, params):
    response = anonymous().get("/activities", **params)
    assert response.status_code == 422
    assert detail(response).startswith("请求有误")


def test_activities_list_query_count_does_not_grow_with_rows(
    site_tree, django_assert_max_num_queries
):
    skills = [factories.SkillFactory(name=n) for n in ("法律咨询", "文明引导")]

    def add_activities(n):
        for _i in range(n):
            activity = factories.ActivityPageFactory(parent=site_tree.community, capacity=1)
            activity.skills.add(*skills)
            activity.save_revision().publish()
            for _j in range(2):
                signup_create(activity=activity, member=factories.MemberFactory())

    add_activities(2)
    client = anonymous()
    with django_assert_max_num_queries(12) as few:
        client.get("/activities")
    add_activities(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/activities").json()
    assert body["count"] == 8
    assert {row["places_left"] for row in body["items"]} == {0}


def test_the_activities_not_yet_over_are_counted_from_the_ends_at_index(site_tree):
    """Counting the list's activities (only those not yet over) read every page of the site
    before migration 0020; with the index on ends_at it reads only those not yet over."""
    now = timezone.now()
    for days in (-30, -20, 5):
        factories.ActivityPageFactory(
            parent=site_tree.community,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=2),
        )
    client = anonymous()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/activities").json()["count"] == 1
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    count = next(sql for sql in counts if "ends_at" in sql)
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            # PostgreSQL plans a test's tiny tables from the page table: the index is there.
            indexes = connection.introspection.get_constraints(cursor, "volunteering_activitypage")
            assert indexes["activity_ends_at"]["columns"] == ["ends_at"]
            return
        cursor.execute(f"EXPLAIN QUERY PLAN {count}")
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "activity_ends_at" in plan, plan


def test_activity_detail_shows_places_waitlist_and_whether_signup_is_open(activity):
    for _i in range(3):
        signup_create(activity=activity, member=factories.MemberFactory())
    response = anonymous().get(f"/activities/{activity.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["places_left"], body["waitlist_length"], body["signup_open"]) == (0, 1, True)
    assert body["my_signup"] is None and body["signup_refusal"] is None


def test_activity_detail_shows_a_member_their_own_signup(activity, member):
    signup, _created = signup_create(activity=activity, member=member)
    body = as_(member.user).get(f"/activities/{activity.pk}").json()
    assert body["my_signup"] == {
        "id": signup.pk,
        "status": "approved",
        "status_label": "已报名",
        "can_cancel": True,
    }


@pytest.mark.parametrize(
    "window, refusal",
    [
        ({"signup_closes_at": timedelta(hours=-1)}, errors.SIGNUP_CLOSED),
        ({"signup_opens_at": timedelta(hours=1)}, errors.SIGNUP_NOT_OPEN_YET),
    ],
)
def test_activity_detail_tells_a_member_why_they_cannot_sign_up(site_tree, member, window, refusal):
    fields = {name: timezone.now() + delta for name, delta in window.items()}
    activity = factories.ActivityPageFactory(parent=site_tree.community, **fields)
    body = as_(member.user).get(f"/activities/{activity.pk}").json()
    assert body["signup_open"] is False
    assert body["signup_refusal"] == str(refusal)


def test_activity_detail_tells_a_signed_in_non_member_they_cannot_sign_up(activity, staff):
    body = as_(staff).get(f"/activities/{activity.pk}").json()
    assert body["signup_open"] is True
    assert body["my_signup"] is None
    assert body["signup_refusal"] == str(errors.SIGNUP_NOT_A_MEMBER)


def test_activity_detail_with_a_bad_token_is_401_not_anonymous(activity):
    client = anonymous()
    client.headers["Authorization"] = "Bearer expired-or-made-up"
    assert client.get(f"/activities/{activity.pk}").status_code == 401


def test_unpublished_or_unknown_activities_are_404(site_tree):
    draft = factories.ActivityPageFactory(parent=site_tree.community, live=False)
    for pk in (draft.pk, 999_999):
        response = anonymous().get(f"/activities/{pk}")
        assert response.status_code == 404
        assert detail(response) == str(ACTIVITY_NOT_FOUND)


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", str(2**63), "1e3"])
def test_activity_ids_that_are_not_ids_are_422(db, bad_id):
    assert anonymous().get(f"/activities/{bad_id}").status_code == 422


# --- Signing up ---------------------------------------------------------------------------


def test_signing_up_creates_one_signup_201_then_returns_it_200(activity, member):
    client = as_(member.user)
    first = client.post(f"/activities/{activity.pk}/signups")
    assert first.status_code == 201
    assert first.json()["status"] == "approved"
    again = client.post(f"/activities/{activity.pk}/signups")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert SignUp.objects.filter(activity=activity, member=member).count() == 1


def test_when_places_are_full_the_signup_is_waitlisted(activity):
    for _i in range(2):
        signup_create(activity=activity, member=factories.MemberFactory())
    late = factories.MemberFactory()
    response = as_(late.user).post(f"/activities/{activity.pk}/signups")
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"


def test_signing_up_needs_a_token(activity):
    assert anonymous().post(f"/activities/{activity.pk}/signups").status_code == 401


def test_a_user_who_is_not_a_member_cannot_sign_up(activity, staff):
    response = as_(staff).post(f"/activities/{activity.pk}/signups")
    assert response.status_code == 403
    assert detail(response) == str(errors.SIGNUP_NOT_A_MEMBER)


def test_signing_up_after_closing_is_a_409_conflict(site_tree, member):
    closed = factories.ActivityPageFactory(
        parent=site_tree.community, signup_closes_at=timezone.now() - timedelta(hours=1)
    )
    response = as_(member.user).post(f"/activities/{closed.pk}/signups")
    assert response.status_code == 409
    assert detail(response) == str(errors.SIGNUP_CLOSED)
    assert not SignUp.objects.exists()


def test_signing_up_to_an_unpublished_activity_is_404(site_tree, member):
    draft = factories.ActivityPageFactory(parent=site_tree.community, live=False)
    assert as_(member.user).post(f"/activities/{draft.pk}/signups").status_code == 404


# --- Cancelling ---------------------------------------------------------------------------


def test_a_member_cancels_their_own_signup_and_the_first_waitlisted_moves_up(activity, member):
    mine, _created = signup_create(activity=activity, member=member)
    signup_create(activity=activity, member=factories.MemberFactory())
    waiting, _created = signup_create(activity=activity, member=factories.MemberFactory())
    response = as_(member.user).post(f"/signups/{mine.pk}/cancel", {"reason": "临时出差"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.state == "approved"


def test_cancelling_needs_no_body(activity, member):
    mine, _created = signup_create(activity=activity, member=member)
    assert as_(member.user).post(f"/signups/{mine.pk}/cancel").status_code == 200


def test_another_member_cannot_see_a_signup_to_cancel_it(activity, member, other_member):
    mine, _created = signup_create(activity=activity, member=member)
    response = as_(other_member.user).post(f"/signups/{mine.pk}/cancel")
    assert response.status_code == 404
    assert detail(response) == str(SIGNUP_NOT_FOUND)


def test_staff_see_a_signup_but_may_not_cancel_it_for_the_member(activity, member, staff):
    mine, _created = signup_create(activity=activity, member=member)
    response = as_(staff).post(f"/signups/{mine.pk}/cancel")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.state == "approved"


def test_cancelling_after_the_deadline_or_twice_is_a_409_conflict(site_tree, member):
    soon = timezone.now() + timedelta(days=2)
    activity = factories.ActivityPageFactory(
        parent=site_tree.community,
        cancel_deadline=timezone.now() + timedelta(days=1),
        starts_at=soon,
    )
    mine, _created = signup_create(activity=activity, member=member)
    client = as_(member.user)
    assert client.post(f"/signups/{mine.pk}/cancel").status_code == 200
    assert client.post(f"/signups/{mine.pk}/cancel").status_code == 409
    activity.cancel_deadline = timezone.now() - timedelta(minutes=1)
    activity.save()
    signup_create(activity=activity, member=member)
    response = client.post(f"/signups/{mine.pk}/cancel")
    assert response.status_code == 409
    assert detail(response) == "已过取消报名截止时间。"


# --- My sign-ups --------------------------------------------------------------------------


def test_my_signups_lists_only_my_own(site_tree, activity, member, other_member):
    mine, _created = signup_create(activity=activity, member=member)
    signup_create(activity=activity, member=other_member)
    body = as_(member.user).get("/me/signups").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["id"], row["status"], row["can_cancel"]) == (mine.pk, "approved", True)
    assert row["activity"]["title"] == "清扫楼道"


def test_my_signups_is_empty_for_a_user_who_is_not_a_member(staff):
    assert as_(staff).get("/me/signups").json() == {"items": [], "count": 0}


def test_my_signups_needs_a_token(db):
    assert anonymous().get("/me/signups").status_code == 401


def test_my_signups_query_count_does_not_grow_with_rows(
    site_tree, member, django_assert_max_num_queries
):
    def sign_up(n):
        for _i in range(n):
            activity = factories.ActivityPageFactory(parent=site_tree.community)
            signup_create(activity=activity, member=member)

    sign_up(2)
    client = as_(member.user)
    with django_assert_max_num_queries(10) as few:
        client.get("/me/signups")
    sign_up(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/me/signups").json()["count"] == 8


# --- Approving and rejecting --------------------------------------------------------------


@pytest.fixture
def pending(approval_activity, member):
    signup, _created = signup_create(activity=approval_activity, member=member)
    assert signup.state == "pending"
    return signup


@pytest.mark.parametrize("who", ["staff", "admin_user"])
def test_staff_of_the_community_and_the_city_approve(request, pending, who):
    response = as_(request.getfixturevalue(who)).post(f"/signups/{pending.pk}/approve")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    pending.refresh_from_db()
    assert pending.state == "approved"


def test_a_member_may_not_approve_their_own_signup(pending, member):
    response = as_(member.user).post(f"/signups/{pending.pk}/approve")
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.state == "pending"


@pytest.mark.parametrize("who", ["other_member", "other_staff"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_other_members_and_staff_of_another_community_get_404(request, pending, who, action):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    response = as_(user).post(f"/signups/{pending.pk}/{action}", {"reason": "名额已满"})
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_approving_needs_a_token(pending):
    assert anonymous().post(f"/signups/{pending.pk}/approve").status_code == 401


def test_approving_twice_is_a_409_conflict(pending, staff):
    client = as_(staff)
    assert client.post(f"/signups/{pending.pk}/approve").status_code == 200
    response = client.post(f"/signups/{pending.pk}/approve")
    assert response.status_code == 409
    assert "已报名" in detail(response)


def test_rejecting_with_a_reason(pending, staff):
    response = as_(staff).post(f"/signups/{pending.pk}/reject", {"reason": "不符合条件"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    latest = pending.history.order_by("-history_date").first()
    assert (latest.history_transition, latest.history_reason) == ("reject", "不符合条件")


@pytest.mark.parametrize("body", [None, {}, {"reason": "   "}])
def test_rejecting_without_a_reason_is_422_and_changes_nothing(pending, staff, body):
    response = as_(staff).post(f"/signups/{pending.pk}/reject", body)
    assert response.status_code == 422
    assert detail(response) == statemachine.REASON_REQUIRED % {"action": "不通过"}
    pending.refresh_from_db()
    assert pending.state == "pending"


@pytest.mark.parametrize(
    "raw", ["{not json", "[1, 2]", '"text"', '{"reason": 5}', json.dumps({"reason": "长" * 501})]
)
def test_a_malformed_body_is_refused_never_a_500(pending, staff, raw):
    response = as_(staff).post(f"/signups/{pending.pk}/reject", raw=raw)
    assert response.status_code in (400, 422)
    assert isinstance(detail(response), str)
    pending.refresh_from_db()
    assert pending.state == "pending"


@pytest.mark.parametrize("path", ["/signups/999999/approve", "/signups/abc/approve"])
def test_unknown_or_malformed_signup_ids(staff, path):
    assert as_(staff).post(path).status_code in (404, 422)
