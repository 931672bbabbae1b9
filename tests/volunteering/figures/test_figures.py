"""The report's eight figures (volunteering.selectors.figures) for a community, a county and the
city, each against a count worked out by hand from the data below; the monthly trend; the
breakdown by area; the cache and what forgets it."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from volunteering.figures.selectors import (
    AreaFigures,
    Figures,
    figures,
    figures_by_area,
    figures_trend,
    trend_months,
)
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report
from volunteering.voice.models import Feedback
from workflows.statemachine import fixture_states

CONFIRMED, PENDING, RETURNED = (
    Report.State.CONFIRMED,
    Report.State.PENDING,
    Report.State.RETURNED,
)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(site_tree):
    """麒麟区: 麒麟社区 (qilin), 方城社区 (fangcheng); 沾益区: 西平社区 (xiping) and an
    unpublished community. Which row counts where is noted on each line."""
    zhanyi = factories.CountyPageFactory(parent=site_tree.communities, title="沾益区", slug="zy")
    xiping = factories.CommunityPageFactory(parent=zhanyi, title="西平社区", slug="xiping")
    factories.CommunityPageFactory(parent=zhanyi, title="筹建社区", slug="draft", live=False)
    qilin, fangcheng = site_tree.community, site_tree.other_community

    a1, a2, a3 = factories.OrganisationFactory.create_batch(3, kind=Organisation.Kind.AGENCY)
    w1 = factories.OrganisationFactory(kind=Organisation.Kind.WINDOW)
    s1 = factories.OrganisationFactory(kind=Organisation.Kind.SERVICE)
    m1, m2, m5 = (factories.MemberFactory(organisation=org) for org in (a1, a1, a2))
    m3 = factories.MemberFactory(organisation=w1)
    m4 = factories.MemberFactory(organisation=s1)
    m6, m7 = factories.MemberFactory(organisation=a3), factories.MemberFactory(organisation=a2)
    for member, community, state, primary in [
        (m1, qilin, CONFIRMED, True),
        (m1, fangcheng, CONFIRMED, False),  # the same member in two communities: once per county
        (m2, qilin, CONFIRMED, True),
        (m3, fangcheng, CONFIRMED, True),
        (m4, xiping, CONFIRMED, True),
        (m5, qilin, PENDING, True),  # not yet confirmed: not counted, nor is a2 through m5
        (m6, xiping, RETURNED, True),  # returned: neither m6 nor a3 count
        (m7, xiping, CONFIRMED, True),
    ]:
        factories.ReportFactory(member=member, community=community, state=state, is_primary=primary)

    now = timezone.now()
    for community, starts in [
        (qilin, now - DAY),  # started yesterday: held
        (qilin, now - 8 * DAY),  # over last week: held
        (qilin, now + 7 * DAY),  # next week: not yet
        (fangcheng, now - 2 * DAY),
        (xiping, now - 3 * DAY),
    ]:
        factories.ActivityPageFactory(
            parent=community, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
        )
    factories.ActivityPageFactory(  # a draft that would have started: not held
        parent=qilin, starts_at=now - DAY, ends_at=now, live=False
    )

    K, OUT = Feedback.Kind, Feedback.Outcome
    for community, kind, state, outcome in [
        (qilin, K.SUGGESTION, "accepted", ""),  # heard
        (qilin, K.SUGGESTION, "submitted", ""),  # not yet heard
        (qilin, K.DISPUTE, "closed", OUT.RESOLVED),
        (qilin, K.HELP, "closed", OUT.RESOLVED),
        (xiping, K.SUGGESTION, "closed", OUT.ANSWERED),  # heard
        (xiping, K.HELP, "closed", OUT.REFERRED),  # referred: not solved here
    ]:
        factories.FeedbackFactory(community=community, kind=kind, state=state, outcome=outcome)
    factories.GoodDeedFactory.create_batch(2, community=qilin)
    factories.GoodDeedFactory(community=xiping)
    return site_tree, zhanyi, xiping


QILIN = Figures(
    communities=1,
    agencies=1,
    members_reported=2,
    activities_held=2,
    suggestions_heard=1,
    disputes_resolved=1,
    difficulties_solved=1,
    good_deeds_done=2,
)
FANGCHENG = Figures(
    communities=1, agencies=1, window_units=1, members_reported=2, activities_held=1
)
QILIN_COUNTY = Figures(
    communities=2,
    agencies=1,
    window_units=1,
    members_reported=3,
    activities_held=3,
    suggestions_heard=1,
    disputes_resolved=1,
    difficulties_solved=1,
    good_deeds_done=2,
)
ZHANYI = Figures(
    communities=1,
    agencies=1,
    service_units=1,
    members_reported=2,
    activities_held=1,
    suggestions_heard=1,
    good_deeds_done=1,
)
CITY = Figures(
    communities=3,
    agencies=2,
    window_units=1,
    service_units=1,
    members_reported=5,
    activities_held=4,
    suggestions_heard=2,
    disputes_resolved=1,
    difficulties_solved=1,
    good_deeds_done=3,
)


def test_each_community_counts_its_own(data):
    site_tree, _zhanyi, _xiping = data
    assert figures(community=site_tree.community) == QILIN
    assert figures(community=site_tree.other_community) == FANGCHENG


def test_a_county_counts_a_member_in_two_of_its_communities_once(data):
    site_tree, zhanyi, _xiping = data
    assert figures(county=site_tree.county) == QILIN_COUNTY
    assert figures(county=zhanyi) == ZHANYI


def test_the_city(data):
    result = figures()
    assert result == CITY
    assert result.organisations == 4
    assert result.window_and_service_units == 2


def test_nothing_yet_counts_zero(site_tree):
    assert figures() == Figures(communities=2)
    assert figures(community=site_tree.community) == Figures(communities=1)


def test_breakdown_by_county_and_by_community(data):
    site_tree, zhanyi, xiping = data
    assert figures_by_area() == [
        AreaFigures(site_tree.county.pk, "麒麟区", "county", QILIN_COUNTY),
        AreaFigures(zhanyi.pk, "沾益区", "county", ZHANYI),
    ]
    assert figures_by_area(county=site_tree.county) == [
        AreaFigures(site_tree.community.pk, "麒麟社区", "community", QILIN),
        AreaFigures(site_tree.other_community.pk, "方城社区", "community", FANGCHENG),
    ]


def test_figures_cost_a_fixed_number_of_queries_then_none(data, django_assert_num_queries):
    with django_assert_num_queries(5):  # communities, activities, reports, feedback, deeds
        figures()
    with django_assert_num_queries(0):
        figures()


def test_a_newly_confirmed_report_changes_the_figures_at_once(data, django_assert_num_queries):
    site_tree, _zhanyi, _xiping = data
    assert figures().members_reported == 5
    pending = Report.objects.get(state=PENDING)
    with fixture_states():
        pending.state = CONFIRMED
        pending.save()
    assert figures().members_reported == 6
    assert figures(community=site_tree.community).members_reported == 3
    assert figures(community=site_tree.community).agencies == 2


def test_the_confirm_transition_forgets_the_cached_figures(data):
    from volunteering.reporting.services import report_confirm

    site_tree, _zhanyi, _xiping = data
    staff = factories.make_staff(site_tree.community)
    assert figures(county=site_tree.county).members_reported == 3
    report_confirm(report=Report.objects.get(state=PENDING), by=staff, note="")
    assert figures(county=site_tree.county).members_reported == 4


def test_a_deleted_good_deed_and_an_unpublished_community_count_no_more(data):
    from volunteering.voice.models import GoodDeed

    site_tree, zhanyi, xiping = data
    assert figures().good_deeds_done == 3
    GoodDeed.objects.filter(community=xiping).delete()
    assert figures().good_deeds_done == 2
    xiping.unpublish()
    assert figures().communities == 2


def test_trend_months_are_the_last_twelve_oldest_first():
    months = trend_months(datetime.date(2026, 3, 15))
    assert months[0] == datetime.date(2025, 4, 1)
    assert months[-1] == datetime.date(2026, 3, 1)
    assert len(months) == 12


def test_the_trend_ends_at_the_cards_for_every_scope(data):
    """One definition per figure: the trend's current month is the card, figure by figure
    (the trend once counted every resident's item as "heard", the card only suggestions)."""
    site_tree, zhanyi, xiping = data
    scopes = [
        {},
        {"county": site_tree.county},
        {"county": zhanyi},
        {"community": site_tree.community},
        {"community": site_tree.other_community},
        {"community": xiping},
    ]
    for scope in scopes:
        trend = figures_trend(**scope)
        assert [m.month for m in trend] == trend_months(timezone.localdate())
        assert trend[-1].figures == figures(**scope), scope
    assert figures_trend()[-1].figures == CITY


def _in_month(month: datetime.date, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month.replace(day=day), datetime.time(9)))


def test_the_trend_counts_each_figure_up_to_the_end_of_each_month(site_tree):
    from volunteering.voice.models import GoodDeed

    months = trend_months(timezone.localdate())
    qilin = site_tree.community
    factories.FeedbackFactory(community=qilin, state="accepted", heard_on=months[-4].replace(day=9))
    factories.FeedbackFactory(  # heard on a day still to come: counts neither now nor before
        community=qilin, state="accepted", heard_on=timezone.localdate() + 40 * DAY
    )
    factories.FeedbackFactory(  # a request for help taken up is not a suggestion heard
        community=qilin, kind=Feedback.Kind.HELP, state="accepted"
    )
    dispute = factories.FeedbackFactory(
        community=qilin,
        kind=Feedback.Kind.DISPUTE,
        state="closed",
        outcome=Feedback.Outcome.RESOLVED,
    )
    Feedback.objects.filter(pk=dispute.pk).update(closed_at=_in_month(months[-2], 3))
    deed = factories.GoodDeedFactory(community=qilin)
    GoodDeed.objects.filter(pk=deed.pk).update(done_on=months[-3].replace(day=28))
    started = _in_month(months[-6], 2)
    factories.ActivityPageFactory(
        parent=qilin, starts_at=started, ends_at=started + datetime.timedelta(hours=2)
    )
    report = factories.ReportFactory(community=qilin, state=CONFIRMED)
    Report.objects.filter(pk=report.pk).update(created_at=_in_month(months[-5], 15))

    trend = figures_trend(community=qilin)
    assert [m.figures.suggestions_heard for m in trend] == [0] * 8 + [1] * 4
    assert [m.figures.good_deeds_done for m in trend] == [0] * 9 + [1] * 3
    assert [m.figures.disputes_resolved for m in trend] == [0] * 10 + [1] * 2
    assert [m.figures.activities_held for m in trend] == [0] * 6 + [1] * 6
    assert [m.figures.members_reported for m in trend] == [0] * 7 + [1] * 5
    assert [m.figures.agencies for m in trend] == [0] * 7 + [1] * 5
    assert trend[-1].figures == figures(community=qilin)
    assert figures(community=qilin).suggestions_heard == 1


def test_the_trend_costs_one_query_per_source(data, django_assert_num_queries):
    with django_assert_num_queries(5):  # communities, reports, activities, feedback, deeds
        figures_trend()
