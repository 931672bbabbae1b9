"""The four figures residents' voice feeds into the programme's report (suggestions heard,
disputes resolved, difficulties solved, good deeds done), for a community, a county and the
city, against counts worked out by hand from the data below. The rules are voice's
(`volunteering.voice.selectors`); they are counted where every figure is
(`volunteering.figures.selectors`)."""

import pytest

from tests import factories
from volunteering.figures.selectors import figures, figures_by_area
from volunteering.voice.models import Feedback


def voice_figures(**scope) -> tuple[int, int, int, int]:
    """Suggestions heard, disputes resolved, difficulties solved, good deeds done."""
    result = figures(**scope)
    return (
        result.suggestions_heard,
        result.disputes_resolved,
        result.difficulties_solved,
        result.good_deeds_done,
    )


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


def test_a_community_counts_its_own_items(data):
    site_tree, _county, _elsewhere = data
    assert voice_figures(community=site_tree.community) == (3, 1, 2, 3)
    assert voice_figures(community=site_tree.other_community) == (1, 1, 0, 1)


def test_a_county_counts_its_communities_only(data):
    site_tree, other_county, _elsewhere = data
    assert voice_figures(county=site_tree.county) == (4, 2, 2, 4)
    assert voice_figures(county=other_county) == (1, 1, 1, 2)


def test_the_city_counts_everything(data):
    assert voice_figures() == (5, 3, 3, 6)


def test_figures_by_community(data):
    site_tree, other_county, elsewhere = data
    by_community = {
        area.page_id: (
            area.figures.suggestions_heard,
            area.figures.disputes_resolved,
            area.figures.difficulties_solved,
            area.figures.good_deeds_done,
        )
        for county in (site_tree.county, other_county)
        for area in figures_by_area(county=county)
    }
    assert by_community == {
        site_tree.community.pk: (3, 1, 2, 3),
        site_tree.other_community.pk: (1, 1, 0, 1),
        elsewhere.pk: (1, 1, 1, 2),
    }


def test_nothing_recorded_counts_zero(site_tree):
    assert voice_figures(community=site_tree.community) == (0, 0, 0, 0)
