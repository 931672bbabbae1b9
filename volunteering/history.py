"""The history of volunteering records, as the admin and the members read it (built by
`workflows.history`): who, when, what changed and why.

Staff see names and every field they may see (a member's phone only if
`scopes.can_see_member_phone`). A member sees the history of their own records with the people
who acted named by role ("社区工作人员"), not by name: the decision is the community's, staff
accounts are not public, and the member needs to know who to ask, not which account clicked."""

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from volunteering.people.models import Member
from volunteering.scopes import can_see_member_phone, member_of
from workflows.history import (
    HISTORY_LIMIT,
    SYSTEM,
    HistorySource,
    Timeline,
    build_timeline,
    history_sources,
    reason_text,
    transition_labels,
)
from workflows.statemachine import registry as WORKFLOWS


def decision_reasons(*, model: type[Model], pks: list[int], state: str) -> dict[int, str]:
    """The reason given when each object `pks` of `model` last entered `state` (a return, a
    decline, a rejection), read from its history: {pk: reason}. One query."""
    if not pks:
        return {}
    rows = (
        model.history.filter(id__in=pks, history_target_state=state)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "history_reason", "history_reason_code")
    )
    reasons: dict[int, str] = {}
    for pk, reason, code in rows:
        if pk not in reasons:
            reasons[pk] = reason_text(reason=reason, code=code)
    return reasons


# Bookkeeping the entry's own time already shows.
OMITTED_FIELDS = ("state_changed_at",)


# What a member is not shown about their own record: themselves, and the queue's internals.
MEMBER_OMITTED_FIELDS = (*OMITTED_FIELDS, "member", "queued_at")
PRIVATE_MEMBER_FIELDS = ("phone",)
YOU = _("本人")
COMMUNITY_STAFF = _("社区工作人员")
TEAM_LEADER = _("服务队队长")


def staff_actor(user) -> str:
    """A user as staff read them: the member's real name if they are one, else the account's."""
    if user is None:
        return str(SYSTEM)
    try:
        return user.member.real_name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


def admin_timeline(*, obj, user, limit: int = HISTORY_LIMIT) -> Timeline:
    """The timeline of `obj` on its admin page; the caller has checked `user` may see `obj`.
    A team's includes its memberships (who asked to join, who was let in or left): a model
    names such parts with a `related_history()` method."""
    sources = _sources(obj)
    # A record may bring the history of the records it is made of (a team, its memberships).
    related = getattr(obj, "related_history", None)
    if related is not None:
        sources += [
            HistorySource(
                queryset,
                subject_field=subject_field,
                subject_prefix=str(queryset.model.instance_type._meta.verbose_name),
                action_labels=_labels(queryset.model.instance_type),
            )
            for queryset, subject_field in related()
        ]
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


def _labels(model) -> dict[str, str]:
    return transition_labels(WORKFLOWS.get(model))


def _sources(obj) -> list[HistorySource]:
    return history_sources(obj, action_labels=_labels(type(obj)))


def _role_of(member: Member, obj):
    leader_user_id = None
    team = getattr(obj, "team", None)  # a team membership: its leader decides, by role
    if team is not None and team.leader_id:
        leader_user_id = team.leader.user_id

    def actor(user) -> str:
        if user is None:
            return str(SYSTEM)
        if user.pk == member.user_id:
            return str(YOU)
        if user.pk == leader_user_id:
            return str(TEAM_LEADER)
        return str(COMMUNITY_STAFF)

    return actor


def member_timeline(*, member: Member, obj, limit: int = HISTORY_LIMIT) -> Timeline:
    """The history of the member's own `obj`, with those who acted named by role."""
    return build_timeline(
        _sources(obj),
        limit=limit,
        omitted=MEMBER_OMITTED_FIELDS,
        actor=_role_of(member, obj),
    )


# --- As the API answers it -------------------------------------------------------------


class HistoryChangeOut(Schema):
    field: str = Field(description="字段名")
    label: str = Field(description="字段的中文名称")
    old: str = Field(description="原值（选项显示为中文名称）；新建时为“—”")
    new: str


class HistoryEntryOut(Schema):
    at: datetime
    action: str = Field(
        description="状态流转的名称（如 confirm）；其他修改为 created、changed、deleted"
    )
    action_label: str
    from_status: str | None = Field(description="流转前的状态；不是状态流转时为 null")
    from_label: str | None
    to_status: str | None
    to_label: str | None
    by: str = Field(
        description="办理人：本人查看时为“本人”“社区工作人员”“系统”；工作人员查看时为姓名"
    )
    reason: str = Field(description="填写的理由或说明；没有为空字符串")
    changes: list[HistoryChangeOut]


class HistoryOut(Schema):
    items: list[HistoryEntryOut] = Field(description="最近的记录在前，至多 50 条")
    truncated: bool = Field(description="是否还有更早的记录未列出")


def history_data(obj, user) -> dict:
    """The object's timeline as its member reads it (staff by role) or as staff do (by name)."""
    member = member_of(user)
    if member is not None and obj.member_id == member.pk:
        timeline = member_timeline(member=member, obj=obj)
    else:
        timeline = admin_timeline(obj=obj, user=user)
    return {"items": [entry_data(e) for e in timeline.entries], "truncated": timeline.truncated}


def entry_data(entry) -> dict:
    transition = entry.is_transition
    return {
        "at": entry.when,
        "action": entry.transition if transition else entry.kind,
        "action_label": entry.action_label,
        "from_status": entry.source if transition else None,
        "from_label": entry.source_label if transition else None,
        "to_status": entry.target if transition else None,
        "to_label": entry.target_label if transition else None,
        "by": entry.actor,
        "reason": entry.reason,
        "changes": [
            {"field": c.name, "label": c.label, "old": c.old, "new": c.new} for c in entry.changes
        ],
    }
