"""`manage.py load_demo --scale N`: the report's city on top of the demo, in proportion to N
members, every workflow state present and only valid ones, history kept, the pages served,
re-runnable, and bad scales refused in the reader's language."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import translation
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from news.models import NewsPage
from portal.demo.city import city_members_loaded
from portal.management.commands.load_demo import parse_scale
from volunteering.activities.models import ActivityPage
from volunteering.citydemo.base import CITY, CITY_MEMBERS, Scale
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Member, Organisation
from volunteering.people.phones import phone_canonical
from volunteering.points.models import PointEntry
from volunteering.reporting.models import Report, ServiceFile
from volunteering.signups.models import SignUp
from volunteering.signups.workflows import SIGNUP_WORKFLOW
from volunteering.teams.models import TeamMembership
from volunteering.voice.models import Feedback

MEMBERS = 400


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo and a city of MEMBERS members, built once inside a transaction rolled back at
    the module's end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", force=True, scale=str(MEMBERS), stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def city(loaded, db):
    return loaded


def _expected_total(name: str, demo: int, minimum: int) -> int:
    return demo + Scale(MEMBERS).extra(name, existing=demo, minimum=minimum)


def test_counts_follow_the_scale(city):
    assert Member.objects.count() == MEMBERS
    assert city_members_loaded() == MEMBERS - 9  # the demo's nine members are not the city's
    ratio = MEMBERS / CITY_MEMBERS
    assert CommunityPage.objects.count() == max(6 + 3, round(CITY["communities"] * ratio))
    assert ActivityPage.objects.count() == max(7 + 20, round(CITY["activities"] * ratio))
    assert Feedback.objects.count() >= round(CITY["feedback"] * ratio)
    assert NewsPage.objects.count() >= round(CITY["news"] * ratio)
    assert Organisation.objects.count() == _expected_total("organisations", 5, 6)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert CountyPage.objects.count() == 6
    # Sign-ups: about twenty per activity, as in the report (~40,000 for 2,050).
    assert 8 <= SignUp.objects.count() / ActivityPage.objects.count() <= 30
    assert "[############] 12/12" in city


def test_every_state_of_every_workflow_is_present(city):
    for model in (Report, SignUp, Feedback, TeamMembership):
        states = set(model.objects.values_list("state", flat=True))
        assert states == set(model.State.values), model
    outcomes = set(Feedback.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Feedback.Outcome.values)
    assert set(Feedback.objects.values_list("kind", flat=True)) == set(Feedback.Kind.values)
    assert PointEntry.objects.filter(amount__lt=0).exists()  # no-shows' deductions
    assert PointEntry.objects.filter(rule_key="feedback_resolved").exists()


def test_only_valid_states(city):
    holding = Q(signups__state__in=SignUp.HOLDING_STATES)
    activities = ActivityPage.objects.annotate(
        held=Count("signups", filter=holding),
        waiting=Count("signups", filter=Q(signups__state="waitlisted")),
        pending=Count("signups", filter=Q(signups__state="pending")),
    )
    for activity in activities:
        assert activity.held <= activity.capacity, activity
        if activity.waiting:
            assert activity.held == activity.capacity, activity
        if activity.pending:
            assert activity.needs_approval, activity
    waitlists = (
        SignUp.objects.filter(state="waitlisted")
        .values("activity")
        .annotate(first=Min("queued_at"))
    )
    for row in waitlists:
        last_holder = SignUp.objects.filter(
            activity=row["activity"], state__in=SignUp.HOLDING_STATES
        ).aggregate(last=Max("queued_at"))["last"]
        assert last_holder < row["first"]
    attended = SignUp.objects.filter(state="attended")
    assert not attended.filter(Q(hours__isnull=True) | Q(checked_in_at__isnull=True)).exists()
    assert not SignUp.objects.filter(state="no_show", hours__isnull=False).exists()
    future = SignUp.objects.filter(activity__starts_at__gt=city_now())
    assert not future.filter(state__in=("attended", "no_show")).exists()
    confirmed = Report.objects.filter(state="confirmed")
    assert not confirmed.filter(state_changed_at__isnull=True).exists()
    files = set(ServiceFile.objects.values_list("member", "community"))
    assert set(confirmed.values_list("member", "community")) <= files
    assert not Feedback.objects.filter(state="closed", closed_at__isnull=True).exists()
    assert not Feedback.objects.filter(
        state="assigned", assigned_member__isnull=True, assigned_team__isnull=True
    ).exists()
    assert not Feedback.objects.filter(state="rejected").exclude(outcome="").exists()
    assert (
        not TeamMembership.objects.values("team", "member")
        .annotate(n=Count("pk", filter=Q(state__in=("requested", "approved"))))
        .filter(n__gt=1)
    )
    # The page tree is consistent (treebeard's own check: paths, depths, child counts).
    assert all(not problems for problems in Page.find_problems())


def test_members_phones_are_stored_in_canonical_form(city):
    phones = Member.objects.filter(user__username__startswith="city-").values_list(
        "phone", flat=True
    )
    assert phones and all(phone_canonical(phone) == phone for phone in phones)


def city_now():
    from django.utils import timezone

    return timezone.now()


def test_history_rows_are_kept(city):
    for model in (Member, Report, SignUp, Feedback, TeamMembership, PointEntry, Organisation):
        assert model.history.count() >= model.objects.count(), model
    transitions = set(SignUp.history.values_list("history_transition", flat=True))
    assert transitions - {""} <= set(SIGNUP_WORKFLOW.by_name)
    attended = SignUp.history.filter(state="attended").exclude(history_transition="")
    assert set(attended.values_list("history_transition", flat=True)) == {
        "check_in",
        "mark_attended",  # the demo's, by staff
    }
    assert set(attended.values_list("history_target_state", flat=True)) == {"attended"}


def test_the_city_is_served_and_searchable(city, client):
    community = CommunityPage.objects.order_by("-path").first()
    activity = ActivityPage.objects.order_by("-pk").first()
    news = NewsPage.objects.order_by("-pk").first()
    for url in (
        "/",
        "/activities/",
        community.url,
        activity.url,
        news.url,
        news.get_parent().url,
        "/search/?q=社区",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.get("/search/", {"q": news.title[:6]})
    assert news.title.encode() in response.content
    for model in (NewsPage, ActivityPage, CommunityPage):
        pages = model.objects.values_list("pk", flat=True)
        indexed = IndexEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id__in=[str(pk) for pk in pages]
        )
        assert indexed.count() == len(pages), model


def test_city_pages_open_in_the_page_editor(city, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    for page in (
        ActivityPage.objects.order_by("-pk").first(),
        NewsPage.objects.order_by("-pk").first(),
        CommunityPage.objects.order_by("-pk").first(),
    ):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    response = client.get(f"/admin/pages/{community_index_pk()}/")
    assert response.status_code == 200


def community_index_pk() -> int:
    return CommunityPage.objects.order_by("-path").first().get_parent().pk


def test_a_second_run_changes_nothing(city):
    before = {m: m.objects.count() for m in (Member, SignUp, Page, Feedback, Report)}
    out = io.StringIO()
    call_command("load_demo", force=True, scale="city", stdout=out)
    assert "已经加载过" in out.getvalue()
    assert before == {m: m.objects.count() for m in before}


@pytest.mark.parametrize("value", ["abc", "0", "99", "-5", "1e4", "10000000", ""])
def test_a_bad_scale_is_refused_with_a_clear_message(value):
    with pytest.raises(CommandError, match="--scale 应为 city"):
        parse_scale(value)
    with translation.override("en"), pytest.raises(CommandError, match="--scale must be"):
        parse_scale(value)


def test_the_scale_is_city_or_a_number():
    assert parse_scale("city") == parse_scale(" CITY ") == CITY_MEMBERS
    assert parse_scale("2000") == 2000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_is_analysed_after_the_bulk_load():
    """Outside a transaction, as `load_demo --scale` calls it, on PostgreSQL: the planner learns
    the new rows and the search index's GIN pending list is flushed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.demo import city

    with CaptureQueriesContext(connection) as captured:
        city.tidy_after_load()
    # Not on SQLite: its statistics made it plan Wagtail's view-restriction subquery badly.
    expected = ["VACUUM ANALYZE"] if connection.vendor == "postgresql" else []
    assert [q["sql"] for q in captured.captured_queries] == expected
