"""iCalendar feeds: a community's activities (public) and a member's own (private)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests import factories
from volunteering.calendars.services import member_calendar_token, member_calendar_token_regenerate
from volunteering.calendars.views import TOKEN_REGENERATED
from volunteering.people.models import Member
from volunteering.signups.services import signup_cancel, signup_create


def at(day, hour):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=day, hours=hour)


@pytest.fixture
def activities(site_tree):
    return [
        factories.ActivityPageFactory(
            parent=site_tree.community,
            title="法律咨询进社区",
            place="社区服务中心",
            starts_at=at(3, 0),
            ends_at=at(3, 2),
        ),
        factories.ActivityPageFactory(
            parent=site_tree.community, title="文明引导", starts_at=at(5, 0), ends_at=at(5, 3)
        ),
    ]


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(cal: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in cal.walk("VEVENT")}


def test_community_feed_is_valid_icalendar_with_one_event_per_live_activity(
    client, site_tree, activities
):
    factories.ActivityPageFactory(parent=site_tree.community, title="草稿", live=False)
    factories.ActivityPageFactory(parent=site_tree.other_community, title="别的社区的活动")
    response = client.get(reverse("community_calendar", args=[site_tree.community.pk]))
    cal = parse(response)
    assert str(cal["version"]) == "2.0"
    assert "麒麟社区" in str(cal["x-wr-calname"])
    events = events_of(cal)
    assert set(events) == {"法律咨询进社区", "文明引导"}
    event = events["法律咨询进社区"]
    assert str(event["location"]) == "社区服务中心"
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and start.utcoffset() == datetime.timedelta(hours=8)
    assert event["dtstart"].params["TZID"] == settings.TIME_ZONE
    assert start == activities[0].starts_at
    assert event.decoded("dtend") == activities[0].ends_at
    assert str(event["url"]).endswith(activities[0].url)
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == [settings.TIME_ZONE]


def test_event_uids_are_unique_and_stable(client, site_tree, activities):
    url = reverse("community_calendar", args=[site_tree.community.pk])
    first = [str(e["uid"]) for e in parse(client.get(url)).walk("VEVENT")]
    second = [str(e["uid"]) for e in parse(client.get(url)).walk("VEVENT")]
    assert len(set(first)) == len(first) == 2
    assert first == second
    assert f"activity-{activities[0].pk}@" in first[0] + first[1]


def test_unknown_or_unpublished_community_feed_is_404(client, site_tree):
    assert client.get("/calendar/community/999999.ics").status_code == 404
    draft = factories.CommunityPageFactory(parent=site_tree.county, live=False)
    assert client.get(f"/calendar/community/{draft.pk}.ics").status_code == 404
    assert client.get(f"/calendar/community/{site_tree.county.pk}.ics").status_code == 404


def test_member_feed_lists_only_their_signups_with_their_state(client, site_tree, activities):
    member, other = factories.MemberFactory.create_batch(2)
    full = factories.ActivityPageFactory(parent=site_tree.other_community, title="满员", capacity=1)
    signup_create(activity=full, member=other)
    signup_create(activity=activities[0], member=member)
    signup_create(activity=full, member=member)  # waitlisted
    cancelled, _ = signup_create(activity=activities[1], member=member)
    signup_cancel(signup=cancelled, by=member.user)

    response = client.get(reverse("member_calendar", args=[member_calendar_token(member=member)]))
    assert "private" in response["Cache-Control"]
    events = events_of(parse(response))
    assert set(events) == {"法律咨询进社区", "[候补] 满员"}
    assert str(events["法律咨询进社区"]["status"]) == "CONFIRMED"
    assert str(events["[候补] 满员"]["status"]) == "TENTATIVE"


def test_member_feed_needs_the_right_token(client, db):
    member = factories.MemberFactory()
    member_calendar_token(member=member)
    assert client.get(reverse("member_calendar", args=["not-the-token"])).status_code == 404


def test_a_token_is_made_once_and_regenerating_revokes_the_old_link(client, db):
    member = factories.MemberFactory()
    token = member_calendar_token(member=member)
    assert member_calendar_token(member=Member.objects.get(pk=member.pk)) == token
    assert len(token) >= 32

    new = member_calendar_token_regenerate(member=member)
    assert new != token
    assert client.get(reverse("member_calendar", args=[token])).status_code == 404
    assert client.get(reverse("member_calendar", args=[new])).status_code == 200


def test_my_calendar_page_shows_the_link_and_regenerates_it(client, db):
    member = factories.MemberFactory()
    client.force_login(member.user)
    html = client.get(reverse("my_calendar")).content.decode()
    token = Member.objects.get(pk=member.pk).calendar_token
    assert f"http://testserver/calendar/member/{token}.ics" in html
    assert f"webcal://testserver/calendar/member/{token}.ics" in html

    response = client.post(reverse("my_calendar"))
    assert response.status_code == 302
    new = Member.objects.get(pk=member.pk).calendar_token
    assert new != token
    html = client.get(reverse("my_calendar")).content.decode()
    assert str(TOKEN_REGENERATED) in html and new in html


def test_my_calendar_page_needs_a_member_login(client, db):
    response = client.get(reverse("my_calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    client.force_login(factories.UserFactory())
    assert client.get(reverse("my_calendar")).status_code == 404


def test_feed_queries_do_not_grow_with_activities(client, site_tree, activities):
    member = factories.MemberFactory()
    community_url = reverse("community_calendar", args=[site_tree.community.pk])
    member_url = reverse("member_calendar", args=[member_calendar_token(member=member)])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    signup_create(activity=activities[0], member=member)
    count(community_url), count(member_url)
    before = count(community_url), count(member_url)
    for n in range(4):
        activity = factories.ActivityPageFactory(parent=site_tree.community, title=f"活动{n}")
        signup_create(activity=activity, member=member)
    assert (count(community_url), count(member_url)) == before
