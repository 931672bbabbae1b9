"""Every stateful model (a state field declared with `state_field()`) has a factory in
tests/factories/ that makes a valid row in each state of its workflow, through the escape
hatch `fixture_states()` rather than a transition."""

import pytest
from django.apps import apps

from tests import factories
from volunteering.assessment.models import Assessment
from volunteering.menu.models import Need, NeedClaim, PostPledge
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership
from volunteering.voice.models import Feedback
from workflows.history import historical_models
from workflows.statemachine import is_state_field

# model -> how its factory makes one in `state` in `community`
MAKERS = {
    Report: lambda community, state: factories.ReportFactory(community=community, state=state),
    Need: lambda community, state: factories.NeedFactory(community=community, state=state),
    NeedClaim: lambda community, state: factories.NeedClaimFactory(
        need=factories.NeedFactory(community=community), state=state
    ),
    TeamMembership: lambda community, state: factories.TeamMembershipFactory(
        team=factories.TeamFactory(community=community), state=state
    ),
    PostPledge: lambda community, state: factories.PostPledgeFactory(
        post=factories.PostFactory(community=community), state=state
    ),
    SignUp: lambda community, state: factories.SignUpFactory(
        activity=factories.ActivityPageFactory(parent=community), state=state
    ),
    Feedback: lambda community, state: factories.FeedbackFactory(community=community, state=state),
    AccountClosure: lambda community, state: factories.AccountClosureFactory(state=state),
    Assessment: lambda community, state: factories.AssessmentFactory(
        community=community, state=state
    ),
}


def _stateful_models() -> set[type]:
    history = set(historical_models())
    return {
        model
        for model in apps.get_models()
        if model not in history and any(is_state_field(field) for field in model._meta.get_fields())
    }


def test_every_stateful_model_has_a_factory():
    assert _stateful_models() == set(MAKERS)


@pytest.mark.parametrize(
    ("model", "state"),
    [(model, state) for model in MAKERS for state in model.State.values],
    ids=lambda value: value.__name__ if isinstance(value, type) else value,
)
def test_the_factory_makes_a_valid_row_in_each_state(community, model, state):
    made = MAKERS[model](community, state)
    stored = model.objects.get(pk=made.pk)
    assert stored.state == state
    stored.full_clean()
