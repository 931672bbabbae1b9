"""Everything the portal holds about one member (我的数据), for the page that lists it and the
JSON download: both are made from `member_data`, so they never disagree. A fixed number of
queries whatever the length of the member's record, and only the member's own rows: every query
starts from the member (never from an id the request names).

What is left out, and why: other people's names and phones (a staff member who decided is
"工作人员", the resident of a request the member handled is not named), the secrets (password
hash, token digests, the calendar feed's key) and the portal's internals (queue times)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volunteering.assessment.models import Assessment
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.points.models import PointRule
from volunteering.privacy.models import AccountClosure
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import signup_hours
from workflows.history import EMPTY
from workflows.statemachine import machine_for

BY_SELF = gettext_lazy("本人")
BY_STAFF = gettext_lazy("工作人员")
BY_SYSTEM = gettext_lazy("系统")


@dataclass
class Item:
    """One row as people read it: (label, value) pairs, and its history if it has one."""

    pairs: list[tuple[str, str]]
    history: list[dict] = field(default_factory=list)


@dataclass
class DataSection:
    key: str  # the JSON key
    title: str
    fields: list[tuple[str, str]]  # (row key, label), in the order people read them
    rows: list[dict]
    note: str = ""

    def items(self) -> list[Item]:
        return [
            Item(
                pairs=[(label, readable(row.get(key))) for key, label in self.fields],
                history=[{**h, "time": readable(h["time"])} for h in row.get("history", [])],
            )
            for row in self.rows
        ]


@dataclass
class MemberData:
    member: Member
    generated_at: datetime.datetime
    sections: list[DataSection]

    def as_json(self) -> dict:
        """The download: {"generated_at": …, "<section>": [rows…]} (the profile is one row)."""
        data: dict = {"generated_at": self.generated_at}
        for section in self.sections:
            data[section.key] = section.rows[0] if section.key == "profile" else section.rows
        return data


def readable(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or EMPTY
    return str(value)


def member_data(*, member: Member, now=None) -> MemberData:
    """All the portal holds about `member`, section by section. Bounded queries (asserted by
    tests/volunteering/privacy/test_my_data.py)."""
    member = (
        Member.objects.select_related("user", "organisation", "residence_community")
        .prefetch_related("skills")
        .get(pk=member.pk)
    )
    sections = [
        _profile(member),
        _reports(member),
        _service_files(member),
        _memberships(member),
        _signups(member),
        _claims(member),
        _pledges(member),
        _points(member),
        _assessments(member),
        _feedback(member),
        _good_deeds(member),
        _tokens(member),
        _closures(member),
    ]
    return MemberData(member=member, generated_at=now or timezone.now(), sections=sections)


def pending_closure(member: Member | None) -> AccountClosure | None:
    """The member's request to close their account that awaits a decision, if any."""
    if member is None:
        return None
    return member.closure_requests.filter(state=AccountClosure.State.PENDING).first()


# --- Sections -----------------------------------------------------------------------------


def _profile(member: Member) -> DataSection:
    user = member.user
    row = {
        "real_name": member.real_name,
        "username": user.get_username(),
        "email": user.email,
        "phone": member.phone,
        "organisation": member.organisation.name,
        "residence_community": (
            member.residence_community.title if member.residence_community else None
        ),
        "skills": [skill.name for skill in member.skills.all()],
        "other_skills": member.other_skills,
        "hide_from_rankings": member.hide_from_rankings,
        "privacy_consent_at": member.privacy_consent_at,
        "calendar_feed": bool(member.calendar_token),
        "created_at": member.created_at,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    fields = [
        ("real_name", _("姓名")),
        ("username", _("用户名")),
        ("email", _("电子邮箱")),
        ("phone", _("手机号")),
        ("organisation", _("工作单位")),
        ("residence_community", _("居住地社区")),
        ("skills", _("技能特长")),
        ("other_skills", _("其他特长")),
        ("hide_from_rankings", _("不在公开积分排行中显示")),
        ("privacy_consent_at", _("同意隐私声明时间")),
        ("calendar_feed", _("已开通日历订阅")),
        ("created_at", _("党员信息登记时间")),
        ("date_joined", _("账号创建时间")),
        ("last_login", _("最近登录时间")),
    ]
    return DataSection("profile", _("个人信息"), fields, [row])


def _histories(model, pks: list[int], member: Member) -> dict[int, list[dict]]:
    """The history of each object `pks` of `model`, oldest first: {pk: [entries]}. One query.
    Who acted is "本人", "工作人员" or "系统": never another person's name."""
    if not pks:
        return {}
    machine = machine_for(model)
    labels = {t.name: str(t.label) for t in machine.transitions} if machine else {}
    states = dict(model._meta.get_field("state").flatchoices) if machine else {}
    rows = (
        model.history.filter(id__in=pks)
        .order_by("history_date", "history_id")
        .values_list(
            "id",
            "history_date",
            "history_type",
            "history_user_id",
            "history_transition",
            "history_source_state",
            "history_target_state",
            "history_reason",
        )
    )
    found: dict[int, list[dict]] = defaultdict(list)
    kinds = {"+": _("创建"), "~": _("修改"), "-": _("删除")}
    for pk, when, kind, user_id, transition, source, target, reason in rows:
        if user_id is None:
            by = BY_SYSTEM
        elif user_id == member.user_id:
            by = BY_SELF
        else:
            by = BY_STAFF
        found[pk].append(
            {
                "time": when,
                "action": labels.get(transition) or kinds.get(kind, ""),
                "from": str(states.get(source, "")) if transition else "",
                "to": str(states.get(target, "")) if transition else "",
                "reason": reason,
                "by": str(by),
            }
        )
    return found


def _with_history(queryset: QuerySet, member: Member, row) -> list[dict]:
    objects = list(queryset)
    histories = _histories(queryset.model, [obj.pk for obj in objects], member)
    return [{**row(obj), "history": histories.get(obj.pk, [])} for obj in objects]


def _reports(member: Member) -> DataSection:
    rows = _with_history(
        member.reports.select_related("community").order_by("-created_at", "-pk"),
        member,
        lambda r: {
            "community": r.community.title,
            "kind": r.get_kind_display(),
            "is_primary": r.is_primary,
            "state": r.get_state_display(),
            "note": r.note,
            "created_at": r.created_at,
            "state_changed_at": r.state_changed_at,
        },
    )
    fields = [
        ("community", _("社区")),
        ("kind", _("报到类型")),
        ("is_primary", _("主报到社区")),
        ("state", _("状态")),
        ("note", _("说明")),
        ("created_at", _("报到时间")),
        ("state_changed_at", _("状态变更时间")),
    ]
    return DataSection("reports", _("报到"), fields, rows)


def _service_files(member: Member) -> DataSection:
    rows = [
        {"community": f.community.title, "opened_at": f.opened_at, "notes": f.notes}
        for f in member.service_files.select_related("community").order_by("opened_at", "pk")
    ]
    fields = [
        ("community", _("社区")),
        ("opened_at", _("建档时间")),
        ("notes", _("随记随访")),
    ]
    return DataSection("service_files", _("服务档案"), fields, rows)


def _memberships(member: Member) -> DataSection:
    rows = _with_history(
        member.team_memberships.select_related("team__community").order_by("-created_at", "-pk"),
        member,
        lambda m: {
            "team": m.team.name,
            "community": m.team.community.title if m.team.community else None,
            "state": m.get_state_display(),
            "created_at": m.created_at,
        },
    )
    fields = [
        ("team", _("服务队")),
        ("community", _("社区")),
        ("state", _("状态")),
        ("created_at", _("申请时间")),
    ]
    return DataSection("team_memberships", _("服务队"), fields, rows)


def _signups(member: Member) -> DataSection:
    signups = list(
        member.signups.select_related("activity").order_by("-activity__starts_at", "-pk")
    )
    paths = {s.activity.path[: -CommunityPage.steplen] for s in signups}
    communities = (
        {c.path: c.title for c in CommunityPage.objects.filter(path__in=paths)} if paths else {}
    )
    histories = _histories(SignUp, [s.pk for s in signups], member)
    rows = [
        {
            "activity": s.activity.title,
            "community": communities.get(s.activity.path[: -CommunityPage.steplen]),
            "starts_at": s.activity.starts_at,
            "state": s.get_state_display(),
            "created_at": s.created_at,
            "checked_in_at": s.checked_in_at,
            "hours": signup_hours(s) if s.state == SignUp.State.ATTENDED else None,
            "history": histories.get(s.pk, []),
        }
        for s in signups
    ]
    total = sum((row["hours"] for row in rows if row["hours"] is not None), Decimal(0))
    fields = [
        ("activity", _("活动")),
        ("community", _("社区")),
        ("starts_at", _("活动时间")),
        ("state", _("状态")),
        ("created_at", _("报名时间")),
        ("checked_in_at", _("签到时间")),
        ("hours", _("服务时长（小时）")),
    ]
    note = _("服务时长合计 %(hours)s 小时。") % {"hours": readable(total)}
    return DataSection("signups", _("活动报名和服务时长"), fields, rows, note=note)


def _claims(member: Member) -> DataSection:
    rows = _with_history(
        member.claims.select_related("need__community").order_by("-created_at", "-pk"),
        member,
        lambda c: {
            "need": c.need.title,
            "community": c.need.community.title,
            "state": c.get_state_display(),
            "outcome": c.outcome,
            "created_at": c.created_at,
        },
    )
    fields = [
        ("need", _("服务需求")),
        ("community", _("社区")),
        ("state", _("状态")),
        ("outcome", _("服务结果")),
        ("created_at", _("认领时间")),
    ]
    return DataSection("claims", _("认领的服务需求"), fields, rows)


def _pledges(member: Member) -> DataSection:
    rows = _with_history(
        member.pledges.select_related("post__community").order_by("-created_at", "-pk"),
        member,
        lambda p: {
            "post": p.post.title,
            "community": p.post.community.title,
            "commitment": p.commitment,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "state": p.get_state_display(),
            "created_at": p.created_at,
        },
    )
    fields = [
        ("post", _("服务岗位")),
        ("community", _("社区")),
        ("commitment", _("承诺内容")),
        ("starts_on", _("开始日期")),
        ("ends_on", _("结束日期")),
        ("state", _("状态")),
        ("created_at", _("承诺时间")),
    ]
    return DataSection("pledges", _("领岗承诺"), fields, rows)


def _points(member: Member) -> DataSection:
    rules = dict(PointRule.Key.choices)
    rows = [
        {
            "earned_at": e.earned_at,
            "community": e.community.title,
            "item": str(rules.get(e.rule_key, _("人工调整"))),
            "kind": e.get_kind_display(),
            "amount": e.amount,
            "reason": e.reason_text,
        }
        for e in member.point_entries.select_related("community").order_by("-earned_at", "-pk")
    ]
    total = sum((row["amount"] for row in rows), Decimal(0))
    fields = [
        ("earned_at", _("发生时间")),
        ("community", _("社区")),
        ("item", _("积分项目")),
        ("kind", _("类型")),
        ("amount", _("积分")),
        ("reason", _("原因")),
    ]
    note = _("积分合计 %(points)s 分。") % {"points": readable(total)}
    return DataSection("points", _("积分记录"), fields, rows, note=note)


def _assessments(member: Member) -> DataSection:
    rows = [
        {
            "year": a.year,
            "community": a.community.title,
            "grade": a.get_grade_display(),
            "comment": a.comment,
        }
        for a in member.assessments.filter(state=Assessment.State.SUBMITTED)
        .select_related("community")
        .order_by("-year", "pk")
    ]
    fields = [
        ("year", _("年度")),
        ("community", _("社区")),
        ("grade", _("评定等次")),
        ("comment", _("评语")),
    ]
    return DataSection("assessments", _("年度考核"), fields, rows)


def _feedback(member: Member) -> DataSection:
    """Residents' requests assigned to the member: what and when, never the resident."""
    rows = [
        {
            "code": f.readable_code,
            "community": f.community.title,
            "kind": f.get_kind_display(),
            "heard_on": f.heard_on,
            "state": f.get_state_display(),
            "closed_at": f.closed_at,
        }
        for f in member.assigned_feedback.select_related("community").order_by("-created_at")
    ]
    fields = [
        ("code", _("回执码")),
        ("community", _("社区")),
        ("kind", _("类型")),
        ("heard_on", _("收集日期")),
        ("state", _("状态")),
        ("closed_at", _("办结时间")),
    ]
    note = _("居民的姓名和电话不在此列出。")
    return DataSection("residents_voice", _("承办的居民诉求"), fields, rows, note=note)


def _good_deeds(member: Member) -> DataSection:
    rows = [
        {"title": d.title, "community": d.community.title, "done_on": d.done_on}
        for d in member.good_deeds.select_related("community").order_by("-done_on", "-pk")
    ]
    fields = [("title", _("事项")), ("community", _("社区")), ("done_on", _("办理日期"))]
    return DataSection("good_deeds", _("参与的好事实事"), fields, rows)


def _tokens(member: Member) -> DataSection:
    """The account's API tokens: when issued, last used and expiring; never the token."""
    rows = [
        {"created": t.created, "last_used": t.last_used, "expires": t.expires}
        for t in member.user.portal_api_tokens.order_by("-created")
    ]
    fields = [
        ("created", _("签发时间")),
        ("last_used", _("最近使用时间")),
        ("expires", _("过期时间")),
    ]
    note = _("令牌本身不保存，只保存其摘要，因此不在此列出。")
    return DataSection("api_tokens", _("接口令牌"), fields, rows, note=note)


def _closures(member: Member) -> DataSection:
    rows = _with_history(
        member.closure_requests.order_by("-created_at", "-pk"),
        member,
        lambda c: {
            "created_at": c.created_at,
            "state": c.get_state_display(),
            "reason": c.reason,
        },
    )
    fields = [("created_at", _("申请时间")), ("state", _("状态")), ("reason", _("注销说明"))]
    return DataSection("account_closures", _("注销账号申请"), fields, rows)
