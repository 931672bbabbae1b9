"""The activity page: what it shows each visitor, and signing up and cancelling through it."""

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from volunteering import errors
from volunteering.activities import views as activity_views
from volunteering.signups import selectors as signup_selectors
from volunteering.signups.models import SignUp
from volunteering.signups.services import signup_create
from workflows.statemachine import TransitionConflict, fixture_states


@pytest.fixture
def skill(db):
    return factories.SkillFactory(name="法律咨询")


@pytest.fixture
def activity(site_tree, skill):
    theme = factories.ThemeFactory(title="党员为居民服务，党旗在社区飘扬")
    page = factories.ActivityPageFactory(
        parent=site_tree.community,
        title="法律咨询进社区",
        place="麒麟社区服务中心二楼",
        capacity=2,
        theme=theme,
        summary="为居民免费提供法律咨询。",
    )
    page.skills.set([skill])
    page.save_revision().publish()
    return page


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def post(client, activity, route):
    return client.post(activity.url + activity.reverse_subpage(route))


def test_activity_page_shows_title_theme_time_place_community_skills_and_places(client, activity):
    html = html_of(client, activity.url)
    for text in (
        "法律咨询进社区",
        "党员为居民服务，党旗在社区飘扬",
        "麒麟社区服务中心二楼",
        "麒麟社区",
        "法律咨询",
        "为居民免费提供法律咨询。",
        "剩余 2 个名额",
        timezone.localtime(activity.starts_at).strftime("%H:%M"),
    ):
        assert text in html, text


def test_anonymous_visitor_is_offered_a_login_link_that_comes_back(client, activity):
    html = html_of(client, activity.url)
    assert "登录后报名" in html
    assert f'href="{settings.LOGIN_URL}?next={quote(activity.url)}"' in html
    assert 'action="' + activity.url + 'signup/"' not in html


def test_anonymous_post_to_sign_up_redirects_to_login_and_changes_nothing(client, activity):
    response = post(client, activity, "signup")
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL + "?next=")
    assert not SignUp.objects.exists()


def test_member_sees_a_signup_button_and_signing_up_through_the_page_holds_a_place(
    client, activity, member
):
    client.force_login(member.user)
    html = html_of(client, activity.url)
    assert "我要报名" in html
    assert 'name="csrfmiddlewaretoken"' in html

    response = post(client, activity, "signup")
    assert response.status_code == 302
    assert response["Location"] == activity.url
    signup = SignUp.objects.get(activity=activity, member=member)
    assert signup.state == "approved"

    html = html_of(client, activity.url)
    assert str(activity_views.SIGNED_UP["approved"]) in html
    assert "我的报名" in html and "已报名" in html
    assert "取消报名" in html
    assert "剩余 1 个名额" in html


def test_signing_up_twice_through_the_page_says_so_and_keeps_one_signup(client, activity, member):
    client.force_login(member.user)
    post(client, activity, "signup")
    response = post(client, activity, "signup")
    assert response.status_code == 302
    assert SignUp.objects.filter(activity=activity, member=member).count() == 1
    assert str(activity_views.ALREADY_SIGNED_UP) in html_of(client, activity.url)


def test_when_places_are_full_the_button_offers_the_waitlist(client, activity, member):
    for other in factories.MemberFactory.create_batch(2):
        signup_create(activity=activity, member=other)
    client.force_login(member.user)
    html = html_of(client, activity.url)
    assert "名额已满" in html and "报名候补" in html
    post(client, activity, "signup")
    assert SignUp.objects.get(member=member).state == "waitlisted"
    html = html_of(client, activity.url)
    assert "候补名单第 1 位" in html
    assert "候补 1 人" in html


def test_cancelling_through_the_page_asks_first_then_frees_the_place(client, activity, member):
    client.force_login(member.user)
    post(client, activity, "signup")
    cancel_url = activity.url + activity.reverse_subpage("cancel")
    assert f'href="{cancel_url}"' in html_of(client, activity.url)

    question = client.get(cancel_url)  # the page's 取消报名 link
    assert question.status_code == 200
    html = question.content.decode()
    assert str(activity_views.CANCEL_QUESTION) in html
    assert str(signup_selectors.CANCEL_FREES_PLACE) in html
    assert 'name="confirm"' in html and f'action="{cancel_url}"' in html
    assert SignUp.objects.get(member=member).state == "approved"

    response = client.post(cancel_url, {"confirm": "1"})
    assert response.status_code == 302
    assert SignUp.objects.get(member=member).state == "cancelled"
    html = html_of(client, activity.url)
    assert str(activity_views.CANCELLED) in html
    assert "我要报名" in html  # may sign up again


def test_one_tap_on_a_full_activity_does_not_give_the_place_to_the_waitlist(
    client, activity, member
):
    client.force_login(member.user)
    post(client, activity, "signup")
    first, waiting = factories.MemberFactory.create_batch(2)
    signup_create(activity=activity, member=first)
    signup_create(activity=activity, member=waiting)

    response = post(client, activity, "cancel")  # an unconfirmed POST only asks
    assert response.status_code == 200
    html = response.content.decode()
    assert str(activity_views.CANCEL_QUESTION) in html
    assert str(signup_selectors.CANCEL_GIVES_PLACE_AWAY) in html
    assert SignUp.objects.get(member=member).state == "approved"
    assert SignUp.objects.get(member=waiting).state == "waitlisted"

    client.post(activity.url + activity.reverse_subpage("cancel"), {"confirm": "1"})
    assert SignUp.objects.get(member=member).state == "cancelled"
    assert SignUp.objects.get(member=waiting).state == "approved"


def test_a_waitlisted_member_is_told_they_leave_the_waitlist(client, activity, member):
    for other in factories.MemberFactory.create_batch(2):
        signup_create(activity=activity, member=other)
    client.force_login(member.user)
    post(client, activity, "signup")
    html = html_of(client, activity.url + activity.reverse_subpage("cancel"))
    assert str(signup_selectors.CANCEL_LEAVES_WAITLIST) in html
    assert SignUp.objects.get(member=member).state == "waitlisted"


def test_anonymous_visitor_asking_to_cancel_is_sent_to_login(client, activity):
    response = client.get(activity.url + activity.reverse_subpage("cancel"))
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL + "?next=")


def test_after_the_cancel_deadline_the_page_offers_no_cancel_and_a_post_is_refused(
    client, activity, member
):
    client.force_login(member.user)
    post(client, activity, "signup")
    activity.cancel_deadline = timezone.now() - datetime.timedelta(minutes=1)
    activity.save_revision().publish()
    html = html_of(client, activity.url)
    assert 'href="' + activity.url + 'cancel/"' not in html
    assert "已过取消报名截止时间" in html
    response = client.post(activity.url + "cancel/", {"confirm": "1"})
    assert response.status_code == 302
    assert SignUp.objects.get(member=member).state == "approved"
    response = post(client, activity, "cancel")  # the question is not asked either
    assert response.status_code == 302
    assert SignUp.objects.get(member=member).state == "approved"
    assert "已过取消报名截止时间" in html_of(client, activity.url)


def test_cancel_without_a_signup_is_a_message_not_an_error(client, activity, member):
    client.force_login(member.user)
    response = post(client, activity, "cancel")
    assert response.status_code == 302
    assert str(activity_views.NOT_SIGNED_UP) in html_of(client, activity.url)


def test_a_signed_in_user_who_is_not_a_member_is_told_why_and_cannot_sign_up(client, activity):
    client.force_login(factories.UserFactory())
    html = html_of(client, activity.url)
    assert str(errors.SIGNUP_NOT_A_MEMBER) in html
    assert "我要报名" not in html
    post(client, activity, "signup")
    assert not SignUp.objects.exists()


def test_a_get_on_the_signup_route_changes_nothing(client, activity, member):
    client.force_login(member.user)
    response = client.get(activity.url + "signup/")
    assert response.status_code == 302
    assert not SignUp.objects.exists()


def test_signup_not_yet_open_shows_why_and_a_post_is_refused_with_that_message(
    client, activity, member
):
    activity.signup_opens_at = timezone.now() + datetime.timedelta(days=1)
    activity.save_revision().publish()
    client.force_login(member.user)
    html = html_of(client, activity.url)
    assert str(errors.SIGNUP_NOT_OPEN_YET) in html
    assert "我要报名" not in html
    post(client, activity, "signup")
    assert not SignUp.objects.exists()
    assert str(errors.SIGNUP_NOT_OPEN_YET) in html_of(client, activity.url)


def test_anonymous_visitor_sees_why_a_closed_activity_takes_no_signups(client, activity):
    activity.signup_closes_at = timezone.now() - datetime.timedelta(hours=1)
    activity.signup_opens_at = timezone.now() - datetime.timedelta(days=2)
    activity.save_revision().publish()
    html = html_of(client, activity.url)
    assert str(errors.SIGNUP_CLOSED) in html
    assert "登录后报名" not in html


def test_team_only_activity_says_so_and_refuses_members_outside_the_team(client, site_tree, member):
    team = factories.TeamFactory(name="法律援助服务队", community=site_tree.community)
    page = factories.ActivityPageFactory(parent=site_tree.community, team=team)
    client.force_login(member.user)
    html = html_of(client, page.url)
    assert "只限服务队“法律援助服务队”的成员报名" in html
    assert "我要报名" not in html
    post(client, page, "signup")
    assert not SignUp.objects.exists()


def test_team_member_may_sign_up_to_a_team_only_activity(client, site_tree, member):
    from volunteering.teams.models import TeamMembership

    team = factories.TeamFactory(name="法律援助服务队", community=site_tree.community)
    with fixture_states():
        TeamMembership.objects.create(team=team, member=member, state="approved")
    page = factories.ActivityPageFactory(parent=site_tree.community, team=team)
    client.force_login(member.user)
    assert "我要报名" in html_of(client, page.url)
    post(client, page, "signup")
    assert SignUp.objects.get(member=member).state == "approved"


def test_member_is_warned_when_the_activity_overlaps_one_they_hold_a_place_in(
    client, site_tree, activity, member
):
    other = factories.ActivityPageFactory(
        parent=site_tree.other_community,
        title="文明引导志愿服务",
        starts_at=activity.starts_at + datetime.timedelta(hours=1),
        ends_at=activity.ends_at + datetime.timedelta(hours=1),
    )
    later = factories.ActivityPageFactory(
        parent=site_tree.other_community,
        title="不重叠的活动",
        starts_at=activity.ends_at,
        ends_at=activity.ends_at + datetime.timedelta(hours=2),
    )
    signup_create(activity=other, member=member)
    signup_create(activity=later, member=member)
    client.force_login(member.user)
    html = html_of(client, activity.url)
    assert "时间重叠" in html
    assert "文明引导志愿服务" in html
    assert "不重叠的活动" not in html


def test_no_overlap_warning_for_a_cancelled_signup(client, site_tree, activity, member):
    other = factories.ActivityPageFactory(
        parent=site_tree.other_community, starts_at=activity.starts_at, ends_at=activity.ends_at
    )
    signup, _ = signup_create(activity=other, member=member)
    from volunteering.signups.services import signup_cancel

    signup_cancel(signup=signup, by=member.user)
    client.force_login(member.user)
    assert "时间重叠" not in html_of(client, activity.url)


def test_refusals_of_the_state_machine_become_messages(client, activity, member, monkeypatch):
    def refuse(**kwargs):
        raise TransitionConflict("当前状态下不能执行")

    monkeypatch.setattr("volunteering.activities.views.signup_create", refuse)
    client.force_login(member.user)
    response = post(client, activity, "signup")
    assert response.status_code == 302
    assert "当前状态下不能执行" in html_of(client, activity.url)


def test_community_staff_see_the_checkin_qr_link_and_others_do_not(
    client, activity, site_tree, member
):
    qr_url = activity.url + "checkin-qr/"
    assert qr_url not in html_of(client, activity.url)
    client.force_login(member.user)
    assert qr_url not in html_of(client, activity.url)
    client.force_login(factories.make_staff(site_tree.community))
    assert qr_url in html_of(client, activity.url)


def test_unpublished_activity_is_not_served(client, site_tree):
    page = factories.ActivityPageFactory(parent=site_tree.community, live=False)
    assert (
        client.get(page.url or f"/communities/qilin/qilin-community/{page.slug}/").status_code
        == 404
    )


def test_activity_page_queries_do_not_grow_with_signups(client, activity, member, site_tree):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            html_of(client, activity.url)
        return len(ctx.captured_queries)

    client.force_login(member.user)
    signup_create(activity=activity, member=member)
    count()  # warm the per-process caches (site root paths, settings)
    before = count()
    for n in range(6):
        signup_create(activity=activity, member=factories.MemberFactory())
        overlapping = factories.ActivityPageFactory(
            parent=site_tree.other_community,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            title=f"同时段活动{n}",
        )
        signup_create(activity=overlapping, member=member)
        activity.skills.add(factories.SkillFactory(name=f"特长{n}"))
    activity.save_revision().publish()
    count()  # the first page after a publish reads the cached menu again (portal.page_tree_cache)
    assert count() == before
    assert before <= 30


def test_a_preview_of_an_activity_not_yet_saved_renders(rf, site_tree, member):
    """The admin previews a page being created before it has a primary key."""
    from volunteering.activities.models import ActivityPage

    starts = timezone.now() + datetime.timedelta(days=3)
    page = ActivityPage(
        title="预览中的活动",
        slug="preview",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="社区广场",
        capacity=3,
    )
    community = site_tree.community
    page.depth = community.depth + 1
    page.path = (
        community.get_last_child()._inc_path()
        if community.get_children_count()
        else (page._get_path(community.path, page.depth, 1))
    )
    page.set_url_path(community)
    request = rf.get("/")
    request.user = member.user
    response = page.serve_preview(request, page.default_preview_mode)
    response.render()
    html = response.content.decode()
    assert "预览中的活动" in html and "剩余 3 个名额" in html
