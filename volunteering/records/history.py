"""Which records a member may read the history of on "my service" (by the kind in the URL), and
which objects await a decision (their history is never pruned by `manage.py prune_history`)."""

from django.db.models import Model

from volunteering.menu.models import NeedClaim, PostPledge
from volunteering.people.models import Member
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import TeamMembership
from volunteering.voice.models import Feedback

# States in which an object awaits someone's decision: its history is never pruned
# (`manage.py prune_history`), so the decision can be made knowing all that happened.
AWAITING_DECISION: dict[type[Model], tuple[str, ...]] = {
    Report: (Report.State.PENDING,),
    NeedClaim: (NeedClaim.State.PENDING,),
    PostPledge: (PostPledge.State.PENDING,),
    TeamMembership: (TeamMembership.State.REQUESTED,),
    SignUp: (SignUp.State.PENDING, SignUp.State.WAITLISTED),
    Feedback: Feedback.OPEN_STATES,
}


def awaiting_decision() -> dict[type[Model], object]:
    """{model: queryset of the pks of its objects awaiting a decision now}."""
    return {
        model: model._default_manager.filter(state__in=states).values("pk")
        for model, states in AWAITING_DECISION.items()
    }


# The records a member may read the history of on "my service": kind in the URL → model.
MEMBER_HISTORY_KINDS: dict[str, type[Model]] = {
    "report": Report,
    "signup": SignUp,
    "claim": NeedClaim,
    "pledge": PostPledge,
    "team": TeamMembership,
}


def member_record(*, member: Member, kind: str, pk: int):
    """The member's own record of `kind` (a key of MEMBER_HISTORY_KINDS), or None: another
    member's record is answered exactly like one that does not exist."""
    model = MEMBER_HISTORY_KINDS.get(kind)
    if model is None:
        return None
    related = MEMBER_RECORD_RELATED[model]
    return model.objects.select_related(*related).filter(pk=pk, member=member).first()


MEMBER_RECORD_RELATED = {
    Report: ("community",),
    SignUp: ("activity",),
    NeedClaim: ("need",),
    PostPledge: ("post",),
    TeamMembership: ("team__leader",),
}


def member_record_title(record) -> str:
    """What the record is about, as the member knows it: the community, activity, need…"""
    about = {
        Report: lambda r: r.community.title,
        SignUp: lambda r: r.activity.title,
        NeedClaim: lambda r: r.need.title,
        PostPledge: lambda r: r.post.title,
        TeamMembership: lambda r: r.team.name,
    }[type(record)](record)
    return f"{type(record)._meta.verbose_name} · {about}"
