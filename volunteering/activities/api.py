"""The API's activities and sign-ups (`/api/v1/activities…`, `/signups…`, `/me/signups`): a
django-ninja router assembled by `volunteering/api.py`. Writes call the sign-up services; here
the object is found, the user's right to see it checked and the answer shaped."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from wagtail.models import Page

from portal.addresses import page_url
from portal.api_auth import ErrorOut, OptionalBearerAuth
from portal.api_schemas import (
    ERRORS,
    FIRST_DAY,
    LAST_DAY,
    MAX_ID,
    ObjectId,
    Pages,
    ReasonIn,
    Ref,
    SkillOut,
    _ref,
)
from volunteering import errors
from volunteering.activities.models import ActivityPage
from volunteering.activities.selectors import (
    ActivityFilters,
    activities_for_listing,
    attach_communities,
    public_activities,
    public_activities_one_query,
    with_places,
)
from volunteering.communities.api import _counties_by_path
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.history import HistoryOut, history_data
from volunteering.people.models import Skill
from volunteering.scopes import is_staff_of, member_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import member_signup_for, signup_refusal
from volunteering.signups.services import (
    signup_approve,
    signup_cancel,
    signup_create,
    signup_reject,
)
from volunteering.signups.workflows import SIGNUP_WORKFLOW
from workflows.statemachine import TransitionConflict

router = Router(tags=["志愿服务"])
ACTIVITY_NOT_FOUND = _("没有找到这个活动。")
SIGNUP_NOT_FOUND = _("没有找到这条报名记录。")


# Both state enums are called "State": named here so the OpenAPI document keeps them apart.
SignUpStatus = Annotated[str, Field(json_schema_extra={"enum": SignUp.State.values})]


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
        "url": page_url(activity, request),
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
        # The state's own label: get_state_display() translates every state's to find one.
        "status_label": str(SignUp.State(signup.state).label),
        "can_cancel": _can(signup, "cancel", user),
    }


def _signup_data(signup: SignUp, request) -> dict:
    activity = signup.activity
    return {
        **_my_signup(signup, request.auth),
        "activity": {
            "id": activity.pk,
            "title": activity.title,
            # Without the request: Wagtail then takes the sites' root paths from its cache
            # instead of looking up the request's site (a query per sign-up).
            "url": page_url(activity),
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
    # The public activity is found and locked by the service in one query; the answer is built
    # from the sign-up it returns (its activity and member attached), without reading it again.
    try:
        signup, created = signup_create(
            activity=activity_id, member=member, among=public_activities_one_query
        )
    except ActivityPage.DoesNotExist:
        raise Http404(ACTIVITY_NOT_FOUND) from None
    return Status(201 if created else 200, _signup_data(signup, request))


def _signup_transition(action: str, summary: str, service, text_argument: str):
    """Register POST /signups/{id}/<action>: the caller must see the sign-up; the optional
    body's reason goes to the service as `text_argument` (a cancel or reject reason, an
    approval note). The three transitions differ only in these four things."""

    def view(request, signup_id: int = ObjectId, payload: ReasonIn | None = None):
        signup = _visible_signup(request.auth, signup_id)
        text = payload.reason if payload else ""
        # The answer is read inside the write's transaction: should the read fail, nothing was
        # written, so an error never stands for a change that was in fact made.
        with transaction.atomic():
            signup = _refetch(service(signup=signup, by=request.auth, **{text_argument: text}))
        return _signup_data(signup, request)

    # The operation ids stay what the named functions gave before, for clients generated from
    # the OpenAPI document.
    router.post(
        f"/signups/{{signup_id}}/{action}",
        response={200: SignUpOut, **ERRORS},
        summary=summary,
        operation_id=f"volunteering_activities_api_signup_{action}_view",
    )(view)


_signup_transition("cancel", "取消本人的报名", signup_cancel, "reason")
_signup_transition("approve", "通过报名（社区工作人员）", signup_approve, "note")
_signup_transition("reject", "不通过报名（社区工作人员，须填写理由）", signup_reject, "reason")


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


@router.get(
    "/signups/{signup_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    summary="报名的变更记录",
    description="谁、什么时候、做了什么、理由。报名的党员本人和活动所在社区的工作人员可以查看；"
    "只读，其他请求方法一律返回 405。",
)
def signup_history(request, signup_id: int = ObjectId):
    return history_data(_visible_signup(request.auth, signup_id), request.auth)
