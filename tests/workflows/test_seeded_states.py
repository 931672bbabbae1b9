"""`StateMachine.seeded`: bulk loaders get objects only in states a transition reaches, with
the history fields of that transition."""

import pytest

from volunteering.reporting.models import Report
from volunteering.reporting.workflows import REPORT_WORKFLOW
from volunteering.signups.workflows import SIGNUP_WORKFLOW
from workflows.statemachine import NEW


def test_a_seeded_object_is_in_the_state_its_transition_leads_to():
    report = REPORT_WORKFLOW.seeded("confirm", kind=Report.Kind.VOLUNTARY)
    assert isinstance(report, Report)
    assert report.state == Report.State.CONFIRMED
    assert report._state.adding
    assert REPORT_WORKFLOW.seeded_history("confirm") == {
        "history_transition": "confirm",
        "history_source_state": "pending",
        "history_target_state": "confirmed",
    }
    assert SIGNUP_WORKFLOW.seeded_history("submit_waitlisted")["history_source_state"] == NEW


def test_only_a_real_transition_seeds():
    with pytest.raises(KeyError):
        REPORT_WORKFLOW.seeded("publish")
