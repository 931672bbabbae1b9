"""The workflow of a team membership: a member asks to join, the team's leader or its community's
staff agree or decline, the member leaves."""

from django.utils.translation import gettext_lazy as _

from volunteering.reporting.workflows import _own
from volunteering.scopes import is_staff_of
from volunteering.teams.models import TeamMembership
from workflows.statemachine import NEW, StateMachine, Transition, register


def _team_decider(user, membership) -> bool:
    team = membership.team
    if team.leader_id and team.leader.user_id == getattr(user, "pk", None):
        return True
    return is_staff_of(user, team.community_id)


TEAM_MEMBERSHIP_WORKFLOW = StateMachine(
    field="state",
    # A team of an organisation (not of a community) has no community scope.
    scope=lambda membership: membership.team.community_id,
    transitions=[
        Transition("request", [NEW], "requested", _("申请加入"), _own),
        Transition("approve", ["requested"], "approved", _("同意加入"), _team_decider),
        Transition(
            "decline",
            ["requested"],
            "declined",
            _("不同意"),
            _team_decider,
            reason_required=True,
            style="secondary",
        ),
        Transition("leave", ["requested", "approved"], "left", _("退出"), _own, style="secondary"),
        # Closing the member's account (volunteering.privacy) ends what still waits.
        Transition(
            "close_account",
            ["requested"],
            "left",
            _("注销账号时撤回"),
            lambda u, o: True,
            system=True,
        ),
    ],
)


register({TeamMembership: TEAM_MEMBERSHIP_WORKFLOW})
