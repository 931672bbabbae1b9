"""The four figures residents' voice feeds into the programme's report (suggestions heard,
disputes resolved, difficulties solved, good deeds done), for a community, a county and the
city, against counts worked out by hand from the data below."""

import pytest

from tests import factories
from volunteering.voice.models import Feedback
from volunteering.voice.selectors import VoiceFigures, voice_figures, voice_figures_by_community

S, H, D = Feedback.Kind.SUGGESTION, Feedback.Kind.HELP, Feedback.Kind.DISPUTE
RESOLVED, ANSWERED, REFERRED = (
    Feedback.Outcome.RESOLVED,
    Feedback.Outcome.ANSWERED,
    Feedback.Outcome.REFERRED,
)

# (kind, state, outcome) of each item in each community
QILIN = [
    (S, "submitted", ""),  # not yet taken up: not heard
    (S, "accepted", ""),  # heard
    (S, "assigned", ""),  # heard
    (S, "closed", ANSWERED),  # heard
    (S, "rejected", ""),  # spam: not heard
    (D, "closed", RESOLVED),  # dispute resolved
    (D, "closed", REFERRED),  # referred: not resolved here
    (D, "assigned", ""),
    (H, "closed", RESOLVED),  # difficulty solved
    (H, "closed", RESOLVED),  # difficulty solved
    (H, "closed", ANSWERED),
]
FANGCHENG = [
    (S, "closed", RESOLVED),  # heard (a suggestion's outcome does not matter)
    (D, "closed", RESOLVED),  # dispute resolved
    (H, "rejected", ""),
]
ELSEWHERE = [(S, "accepted", ""), (D, "closed", RESOLVED), (H, "closed", RESOLVED)]


@pytest.fixture
def data(site_tree):
    other_county = factories.CountyPageFactory(
        parent=site_tree.communities, title="沾益区", slug="zhanyi"
    )
    elsewhere = factories.CommunityPageFactory(parent=other_county, title="西平社区")
    for community, items in [
        (site_tree.community, QILIN),
        (site_tree.other_community, FANGCHENG),
        (elsewhere, ELSEWHERE),
    ]:
        for kind, state, outcome in items:
            assignee = {}
            if state == "assigned":
                assignee["assigned_team"] = factories.TeamFactory(community=community)
            factories.FeedbackFactory(
                community=community, kind=kind, state=state, outcome=outcome, **assignee
            )
    factories.GoodDeedFactory.create_batch(3, community=site_tree.community)
    factories.GoodDeedFactory(community=site_tree.other_community)
    factories.GoodDeedFactory.create_batch(2, community=elsewhere)
    return site_tree, other_county, elsewhere


def test_a_community_counts_its_own_items(data, django_assert_num_queries):
    site_tree, _county, _elsewhere = data
    with django_assert_num_queries(2):  # one aggregate over feedback, one count of good deeds
        figures = voice_figures(community=site_tree.community)
    assert figures == VoiceFigures(
        suggestions_heard=3, disputes_resolved=1, difficulties_solved=2, good_deeds_done=3
    )
    assert voice_figures(community=site_tree.other_community) == VoiceFigures(1, 1, 0, 1)


def test_a_county_counts_its_communities_only(data):
    site_tree, other_county, _elsewhere = data
    assert voice_figures(county=site_tree.county) == VoiceFigures(
        suggestions_heard=4, disputes_resolved=2, difficulties_solved=2, good_deeds_done=4
    )
    assert voice_figures(county=other_county) == VoiceFigures(1, 1, 1, 2)


def test_the_city_counts_everything(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = voice_figures()
    assert figures == VoiceFigures(
        suggestions_heard=5, disputes_resolved=3, difficulties_solved=3, good_deeds_done=6
    )


def test_figures_by_community_in_two_queries(data, django_assert_num_queries):
    site_tree, other_county, elsewhere = data
    with django_assert_num_queries(2):
        by_community = voice_figures_by_community()
    assert by_community == {
        site_tree.community.pk: VoiceFigures(3, 1, 2, 3),
        site_tree.other_community.pk: VoiceFigures(1, 1, 0, 1),
        elsewhere.pk: VoiceFigures(1, 1, 1, 2),
    }
    assert voice_figures_by_community(county=other_county) == {
        elsewhere.pk: VoiceFigures(1, 1, 1, 2)
    }


def test_nothing_recorded_counts_zero(site_tree):
    assert voice_figures(community=site_tree.community) == VoiceFigures(0, 0, 0, 0)
