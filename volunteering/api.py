"""The volunteering part of the JSON API for mobile clients, mounted by `portal.api`.

Every write calls the services in `volunteering.services` (which change state only through
`volunteering.workflows`); this module only finds the object, checks that the user may see it
and shapes the answer. Objects a user may not see answer 404, as if they did not exist; objects
they may see but not act on answer 403 (raised by the workflow). Errors become JSON in one
place, `portal.api`."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import BaseModel
from wagtail.models import Page

from portal.api_auth import ErrorOut, OptionalBearerAuth
from volunteering import errors
from volunteering.models import ActivityPage, CommunityPage, CountyPage, Report, SignUp, Skill
from volunteering.scopes import is_staff_of, member_of
from volunteering.selectors import communities_for_listing
from volunteering.selectors.activities import (
    ActivityFilters,
    activities_for_listing,
    attach_communities,
    member_signup_for,
    public_activities,
    with_places,
)
from volunteering.selectors.history import admin_timeline, member_timeline
from volunteering.services.reports import report_confirm, report_create, report_return
from volunteering.services.signups import (
    signup_approve,
    signup_cancel,
    signup_create,
    signup_refusal,
    signup_reject,
)
from volunteering.workflows import SIGNUP_WORKFLOW
from workflows.statemachine import TransitionConflict

ACTIVITY_NOT_FOUND = _("没有找到这个活动。")
SIGNUP_NOT_FOUND = _("没有找到这条报名记录。")
REPORT_NOT_FOUND = _("没有找到这条报到记录。")
COMMUNITY_NOT_FOUND = _("没有这个社区。")
REPORT_NOT_A_MEMBER = _("只有登记的在职党员可以报到。")

MAX_ID = 2**63 - 1  # the largest primary key; larger numbers are refused as invalid (422)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
PAGE_SIZE, MAX_PAGE_SIZE, MAX_PAGE = 20, 100, 100_000

router = Router(tags=["志愿服务"])

# Both state enums are called "State": named here so the OpenAPI document keeps them apart.
SignUpStatus = Annotated[str, Field(json_schema_extra={"enum": SignUp.State.values})]
ReportStatus = Annotated[str, Field(json_schema_extra={"enum": Report.State.values})]
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    title: str


class SkillOut(Schema):
    id: int
    name: str


class CommunityOut(Schema):
    id: int
    title: str
    url: str
    county: Ref | None
    street_or_town: str
    address: str
    contact_phone: str
    window_place: str
    window_hours: str


class ActivityOut(Schema):
    id: int
    title: str
    url: str
    summary: str
    community: Ref | None
    county: Ref | None
    theme: str | None
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    places_left: int
    needs_approval: bool
    team: str | None = Field(description="仅限该服务队成员报名时为服务队名称")
    skills: list[SkillOut]
    signup_opens_at: datetime | None
    signup_closes_at: datetime | None
    cancel_deadline: datetime | None
    signup_open: bool = Field(description="现在是否在报名时间内")


class MySignUpOut(Schema):
    id: int
    status: SignUpStatus
    status_label: str
    can_cancel: bool


class ActivityDetailOut(ActivityOut):
    waitlist_length: int
    my_signup: MySignUpOut | None = Field(description="已登录党员本人的报名；未登录或未报名为 null")
    signup_refusal: str | None = Field(
        description="带令牌时：现在不能报名的原因（如报名已截止、不是登记党员）；"
        "可以报名或未登录为 null"
    )


class ActivityBrief(Schema):
    id: int
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    place: str


class SignUpOut(Schema):
    id: int
    status: SignUpStatus
    status_label: str
    activity: ActivityBrief
    queued_at: datetime
    created_at: datetime
    checked_in_at: datetime | None
    hours: float | None = Field(description="服务时长（小时）")
    can_cancel: bool


class ReportIn(BaseModel):
    community: int = Field(..., ge=1, le=MAX_ID, description="社区 id（见 GET /communities）")
    kind: Report.Kind
    is_primary: bool = False
    note: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    community: Ref
    kind: Report.Kind
    kind_label: str
    is_primary: bool
    note: str
    status: ReportStatus
    status_label: str
    created_at: datetime


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


class ReasonIn(BaseModel):
    reason: str = Field("", max_length=500)


class ActivityQuery(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区 id")
    county: int | None = Field(None, ge=1, le=MAX_ID, description="县（市、区）id")
    date_from: date | None = Field(
        None,
        alias="from",
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="只列出这天及以后仍在进行的活动（默认：尚未结束的活动）",
    )
    date_to: date | None = Field(
        None, alias="to", ge=FIRST_DAY, le=LAST_DAY, description="只列出这天及以前开始的活动"
    )
    skill: int | None = Field(None, ge=1, le=MAX_ID, description="所需特长 id")


class Pages(PageNumberPagination):
    """Page-number pagination with bounded numbers, and a hook that shapes the page's rows
    with a fixed number of queries (`prepare(items, request) -> list`)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, *, prepare, **kwargs):
        self.prepare = prepare
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = self.prepare(list(result["items"]), request)
        return result


ObjectId = Path(..., ge=1, le=MAX_ID)


# --- Reading ------------------------------------------------------------------------------


def _parents(pages) -> set[str]:
    """The paths of the parents of `pages` (tree paths: no query)."""
    return {p[: -Page.steplen] for p in (page.path for page in pages)}


def _ref(page) -> dict | None:
    return {"id": page.pk, "title": page.title} if page else None


def _counties_by_path(communities) -> dict[str, CountyPage]:
    return {c.path: c for c in CountyPage.objects.filter(path__in=_parents(communities))}


def _community_data(community, county, request) -> dict:
    fields = ("street_or_town", "address", "contact_phone", "window_place", "window_hours")
    return {
        "id": community.pk,
        "title": community.title,
        "url": community.get_full_url(request) or "",
        "county": _ref(county),
        **{name: getattr(community, name) for name in fields},
    }


def signup_window_open(activity: ActivityPage, now: datetime) -> bool:
    """Whether sign-ups are open now, for a member: `signup_refusal` checks the activity's
    dates before the member, so for nobody in particular it stops at "not a member"."""
    refusal = signup_refusal(activity=activity, member=None, now=now)
    return refusal is errors.SIGNUP_NOT_A_MEMBER


def _activity_rows(activities: list[ActivityPage], request) -> list[dict]:
    """The rows of a page of activities: two queries (communities, counties) for all."""
    activities = attach_communities(activities)
    counties = _counties_by_path(a.community for a in activities)
    now = timezone.now()
    return [
        _activity_data(a, counties.get(a.community.path[: -Page.steplen]), request, now)
        for a in activities
    ]


def _activity_data(activity, county, request, now) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "url": activity.get_full_url(request) or "",
        "summary": activity.summary,
        "community": _ref(activity.community),
        "county": _ref(county),
        "theme": activity.theme.title if activity.theme else None,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place": activity.place,
        "capacity": activity.capacity,
        "places_left": activity.places_left,
        "needs_approval": activity.needs_approval,
        "team": activity.team.name if activity.team else None,
        "skills": [{"id": s.pk, "name": s.name} for s in activity.skills.all()],
        "signup_opens_at": activity.signup_opens_at,
        "signup_closes_at": activity.signup_closes_at,
        "cancel_deadline": activity.cancel_deadline,
        "signup_open": signup_window_open(activity, now),
    }


def _listing_filters(query: ActivityQuery) -> ActivityFilters | None:
    """The selector's filters from the query's ids; None when an id names nothing."""
    found = {}
    for name, model in (("community", CommunityPage), ("county", CountyPage), ("skill", Skill)):
        pk = getattr(query, name)
        if pk is not None:
            found[name] = model.objects.filter(pk=pk).first()
            if found[name] is None:
                return None
    return ActivityFilters(**found, date_from=query.date_from, date_to=query.date_to)


def _visible_activity(activity_id: int) -> ActivityPage:
    activity = (
        with_places(public_activities())
        .select_related("theme", "team")
        .prefetch_related("skills")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404(ACTIVITY_NOT_FOUND)
    return activity


@router.get(
    "/communities",
    auth=None,
    response=list[CommunityOut],
    summary="社区列表",
    description="已发布的社区，含所属县（市、区）和报到窗口的位置、开放时间。",
)
def community_list(request):
    """Live public communities with their county and service window (报到窗口)."""
    communities = list(communities_for_listing())
    counties = _counties_by_path(communities)
    return [_community_data(c, counties.get(c.path[: -Page.steplen]), request) for c in communities]


@router.get(
    "/activities",
    auth=None,
    response=list[ActivityOut],
    summary="活动列表",
    description="已发布的活动，按开始时间排序，分页（page、page_size）。"
    "不传 from 时只列出尚未结束的活动。",
)
@paginate(Pages, prepare=_activity_rows)
def activity_list(request, query: Query[ActivityQuery]):
    """Live public activities, soonest first; without `from`, only those not yet over."""
    filters = _listing_filters(query)
    if filters is None:
        return ActivityPage.objects.none()
    return activities_for_listing(filters=filters)


@router.get(
    "/activities/{activity_id}",
    auth=OptionalBearerAuth(),
    response={200: ActivityDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="活动详情",
    description="含剩余名额、候补人数、现在是否可以报名；带令牌时另含本人的报名和不能报名的原因。",
)
def activity_detail(request, activity_id: int = ObjectId):
    """With places left, waitlist length, whether sign-ups are open and, for a signed-in
    member, their own sign-up and why they cannot sign up now (if they cannot)."""
    activity = _visible_activity(activity_id)
    data = _activity_rows([activity], request)[0]
    data["waitlist_length"] = activity.waitlist_length
    data["my_signup"] = data["signup_refusal"] = None
    if request.auth.is_authenticated:
        member = member_of(request.auth)
        signup = member_signup_for(member=member, activity=activity)
        if signup is not None:
            data["my_signup"] = _my_signup(signup, request.auth)
        refusal = signup_refusal(activity=activity, member=member)
        data["signup_refusal"] = str(refusal) if refusal else None
    return data


# --- Sign-ups -----------------------------------------------------------------------------


def _can(signup: SignUp, name: str, user) -> bool:
    """Whether the workflow lets `user` perform `name` now (its own check, nothing else)."""
    try:
        SIGNUP_WORKFLOW.check(signup, name, by=user)
    except (TransitionConflict, PermissionDenied, ValidationError):
        return False
    return True


def _my_signup(signup: SignUp, user) -> dict:
    return {
        "id": signup.pk,
        "status": signup.state,
        "status_label": signup.get_state_display(),
        "can_cancel": _can(signup, "cancel", user),
    }


def _signup_data(signup: SignUp, request) -> dict:
    activity = signup.activity
    return {
        **_my_signup(signup, request.auth),
        "activity": {
            "id": activity.pk,
            "title": activity.title,
            "url": activity.get_full_url(request) or "",
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "place": activity.place,
        },
        "queued_at": signup.queued_at,
        "created_at": signup.created_at,
        "checked_in_at": signup.checked_in_at,
        "hours": float(signup.hours) if signup.hours is not None else None,
    }


def _visible_signup(user, signup_id: int) -> SignUp:
    """The sign-up, if `user` is its member or staff of its activity's community; else 404."""
    signup = SignUp.objects.select_related("activity", "member").filter(pk=signup_id).first()
    if signup is None:
        raise Http404(SIGNUP_NOT_FOUND)
    if signup.member.user_id != user.pk and not is_staff_of(user, signup.activity.get_parent().pk):
        raise Http404(SIGNUP_NOT_FOUND)
    return signup


def _refetch(signup: SignUp) -> SignUp:
    return SignUp.objects.select_related("activity", "member").get(pk=signup.pk)


@router.post(
    "/activities/{activity_id}/signups",
    response={201: SignUpOut, 200: SignUpOut, **ERRORS},
    summary="报名参加活动",
    description="新报名返回 201；已经报过名则返回 200 和原来的报名，不会重复。"
    "名额已满时进入候补（waitlisted）；需要审核的活动为待审核（pending）。",
)
def signup_create_view(request, activity_id: int = ObjectId):
    """201 with the new sign-up; 200 with the existing one if the member signed up already.
    When the places are full the sign-up is waitlisted (候补)."""
    member = member_of(request.auth)
    if member is None:
        raise PermissionDenied(errors.SIGNUP_NOT_A_MEMBER)
    activity = _visible_activity(activity_id)
    signup, created = signup_create(activity=activity, member=member)
    return Status(201 if created else 200, _signup_data(_refetch(signup), request))


@router.post(
    "/signups/{signup_id}/cancel",
    response={200: SignUpOut, **ERRORS},
    summary="取消本人的报名",
)
def signup_cancel_view(request, signup_id: int = ObjectId, payload: ReasonIn | None = None):
    signup = _visible_signup(request.auth, signup_id)
    reason = payload.reason if payload else ""
    signup = signup_cancel(signup=signup, by=request.auth, reason=reason)
    return _signup_data(_refetch(signup), request)


@router.get(
    "/me/signups",
    response={200: list[SignUpOut], 401: ErrorOut},
    summary="我的报名",
    description="本人的报名，活动时间晚的在前；不是登记党员的账号得到空列表。",
)
@paginate(Pages, prepare=lambda signups, request: [_signup_data(s, request) for s in signups])
def my_signups(request):
    """The signed-in member's sign-ups, latest activity first (empty for a non-member)."""
    member = member_of(request.auth)
    if member is None:
        return SignUp.objects.none()
    return (
        SignUp.objects.filter(member=member)
        .select_related("activity", "member")
        .order_by("-activity__starts_at", "-pk")
    )


@router.post(
    "/signups/{signup_id}/approve",
    response={200: SignUpOut, **ERRORS},
    summary="通过报名（社区工作人员）",
)
def signup_approve_view(request, signup_id: int = ObjectId, payload: ReasonIn | None = None):
    signup = _visible_signup(request.auth, signup_id)
    note = payload.reason if payload else ""
    signup = signup_approve(signup=signup, by=request.auth, note=note)
    return _signup_data(_refetch(signup), request)


@router.post(
    "/signups/{signup_id}/reject",
    response={200: SignUpOut, **ERRORS},
    summary="不通过报名（社区工作人员，须填写理由）",
)
def signup_reject_view(request, signup_id: int = ObjectId, payload: ReasonIn | None = None):
    signup = _visible_signup(request.auth, signup_id)
    reason = payload.reason if payload else ""
    signup = signup_reject(signup=signup, by=request.auth, reason=reason)
    return _signup_data(_refetch(signup), request)


# --- Reports (报到) ------------------------------------------------------------------------


def _report_data(report: Report) -> dict:
    return {
        "id": report.pk,
        "community": _ref(report.community),
        "kind": report.kind,
        "kind_label": report.get_kind_display(),
        "is_primary": report.is_primary,
        "note": report.note,
        "status": report.state,
        "status_label": report.get_state_display(),
        "created_at": report.created_at,
    }


def _visible_report(user, report_id: int) -> Report:
    """The report, if `user` is its member or staff of its community; else 404."""
    report = Report.objects.select_related("member", "community").filter(pk=report_id).first()
    if report is None or (
        report.member.user_id != user.pk and not is_staff_of(user, report.community_id)
    ):
        raise Http404(REPORT_NOT_FOUND)
    return report


def _refetch_report(report: Report) -> Report:
    return Report.objects.select_related("community").get(pk=report.pk)


@router.post(
    "/reports",
    response={201: ReportOut, **ERRORS},
    summary="向社区报到",
    description="kind：linked 挂钩联系社区，nearby_workplace 单位所在社区，"
    "residence 居住地社区，voluntary 自愿报到。第一个报到的社区自动成为主报到社区。",
)
def report_create_view(request, payload: ReportIn):
    member = member_of(request.auth)
    if member is None:
        raise PermissionDenied(REPORT_NOT_A_MEMBER)
    community = CommunityPage.objects.filter(pk=payload.community).first()
    if community is None:
        raise ValidationError({"community": COMMUNITY_NOT_FOUND})
    report = report_create(
        member=member,
        community=community,
        kind=payload.kind.value,
        is_primary=payload.is_primary,
        note=payload.note,
        by=request.auth,
    )
    return Status(201, _report_data(_refetch_report(report)))


@router.post(
    "/reports/{report_id}/confirm",
    response={200: ReportOut, **ERRORS},
    summary="确认报到（社区工作人员）",
)
def report_confirm_view(request, report_id: int = ObjectId, payload: ReasonIn | None = None):
    report = _visible_report(request.auth, report_id)
    note = payload.reason if payload else ""
    report = report_confirm(report=report, by=request.auth, note=note)
    return _report_data(_refetch_report(report))


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **ERRORS},
    summary="退回报到（社区工作人员，须填写理由）",
)
def report_return_view(request, report_id: int = ObjectId, payload: ReasonIn | None = None):
    report = _visible_report(request.auth, report_id)
    reason = payload.reason if payload else ""
    report = report_return(report=report, by=request.auth, reason=reason)
    return _report_data(_refetch_report(report))


# --- History (read-only: no method on these paths changes anything) ---------------------------


def _history_data(obj, user) -> dict:
    """The object's timeline as its member reads it (staff by role) or as staff do (by name)."""
    member = member_of(user)
    if member is not None and obj.member_id == member.pk:
        timeline = member_timeline(member=member, obj=obj)
    else:
        timeline = admin_timeline(obj=obj, user=user)
    return {"items": [_entry_data(e) for e in timeline.entries], "truncated": timeline.truncated}


def _entry_data(entry) -> dict:
    transition = entry.reason.is_transition
    return {
        "at": entry.when,
        "action": entry.reason.action if transition else entry.kind,
        "action_label": entry.action_label,
        "from_status": entry.reason.source if transition else None,
        "from_label": entry.source_label if transition else None,
        "to_status": entry.reason.target if transition else None,
        "to_label": entry.target_label if transition else None,
        "by": entry.actor,
        "reason": entry.reason.words,
        "changes": [
            {"field": c.name, "label": c.label, "old": c.old, "new": c.new} for c in entry.changes
        ],
    }


@router.get(
    "/signups/{signup_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    summary="报名的变更记录",
    description="谁、什么时候、做了什么、理由。报名的党员本人和活动所在社区的工作人员可以查看；"
    "只读，其他请求方法一律返回 405。",
)
def signup_history(request, signup_id: int = ObjectId):
    return _history_data(_visible_signup(request.auth, signup_id), request.auth)


@router.get(
    "/reports/{report_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    summary="报到的变更记录",
    description="谁、什么时候、做了什么、理由。报到的党员本人和该社区的工作人员可以查看；"
    "只读，其他请求方法一律返回 405。",
)
def report_history(request, report_id: int = ObjectId):
    return _history_data(_visible_report(request.auth, report_id), request.auth)
