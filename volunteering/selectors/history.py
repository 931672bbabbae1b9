"""The history of volunteering records, as the admin and the members read it (built by
`workflows.history`): who, when, what changed and why.

Staff see names and every field they may see (a member's phone only if
`scopes.can_see_member_phone`). A member sees the history of their own records with the people
who acted named by role ("社区工作人员"), not by name: the decision is the community's, staff
accounts are not public, and the member needs to know who to ask, not which account clicked."""

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from volunteering.models import (
    Feedback,
    Member,
    NeedClaim,
    PostPledge,
    Report,
    SignUp,
    Team,
    TeamMembership,
)
from volunteering.scopes import can_see_member_phone
from volunteering.workflows import WORKFLOWS
from workflows.history import (
    HISTORY_LIMIT,
    SYSTEM,
    HistorySource,
    Timeline,
    build_timeline,
    history_sources,
    transition_labels,
)

# Bookkeeping the entry's own time already shows.
OMITTED_FIELDS = ("state_changed_at",)
# What a member is not shown about their own record: themselves, and the queue's internals.
MEMBER_OMITTED_FIELDS = (*OMITTED_FIELDS, "member", "queued_at")
PRIVATE_MEMBER_FIELDS = ("phone",)

YOU = _("本人")
COMMUNITY_STAFF = _("社区工作人员")
TEAM_LEADER = _("服务队队长")

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


def staff_actor(user) -> str:
    """A user as staff read them: the member's real name if they are one, else the account's."""
    if user is None:
        return str(SYSTEM)
    try:
        return user.member.real_name
    except Member.DoesNotExist:
        return user.get_full_name() or user.get_username()


def admin_timeline(*, obj, user, limit: int = HISTORY_LIMIT) -> Timeline:
    """The timeline of `obj` on its admin page; the caller has checked `user` may see `obj`.
    A team's includes its memberships (who asked to join, who was let in or left)."""
    sources = _sources(obj)
    if isinstance(obj, Team):
        sources.append(
            HistorySource(
                TeamMembership.history.filter(team_id=obj.pk),
                subject_field="member",
                subject_prefix=str(TeamMembership._meta.verbose_name),
                action_labels=_labels(TeamMembership),
            )
        )
    hidden = ()
    if isinstance(obj, Member) and not can_see_member_phone(user, obj):
        hidden = PRIVATE_MEMBER_FIELDS
    return build_timeline(
        sources,
        limit=limit,
        hidden=hidden,
        omitted=OMITTED_FIELDS,
        actor=staff_actor,
        user_related=("member",),
    )


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


def member_timeline(*, member: Member, obj, limit: int = HISTORY_LIMIT) -> Timeline:
    """The history of the member's own `obj`, with those who acted named by role."""
    return build_timeline(
        _sources(obj),
        limit=limit,
        omitted=MEMBER_OMITTED_FIELDS,
        actor=_role_of(member, obj),
    )


def _labels(model) -> dict[str, str]:
    return transition_labels(WORKFLOWS.get(model))


def _sources(obj) -> list[HistorySource]:
    return history_sources(obj, action_labels=_labels(type(obj)))


def _role_of(member: Member, obj):
    leader_user_id = None
    if isinstance(obj, TeamMembership) and obj.team.leader_id:
        leader_user_id = obj.team.leader.user_id

    def actor(user) -> str:
        if user is None:
            return str(SYSTEM)
        if user.pk == member.user_id:
            return str(YOU)
        if user.pk == leader_user_id:
            return str(TEAM_LEADER)
        return str(COMMUNITY_STAFF)

    return actor
