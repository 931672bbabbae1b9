"""What the activity pages' routes do: sign up, cancel, check in, show the check-in QR code,
and the listing and month calendar of `ActivityIndexPage`. The rules are the services';
here requests become calls, and refusals become messages (never an error page)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.addresses import absolute_url
from portal.qr import qr_svg
from volunteering import errors
from volunteering.activities.filters import (
    ActivityFilterForm,
    CalendarForm,
    read_calendar,
    read_filters,
)
from volunteering.activities.models import ActivityPage
from volunteering.activities.selectors import (
    activities_by_day,
    activities_for_listing,
    attach_communities,
    month_weeks,
)
from volunteering.scopes import is_staff_of, member_of
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import cancel_consequence
from volunteering.signups.services import signup_cancel, signup_check_in, signup_create
from workflows.statemachine import TransitionConflict

SIGNED_UP = {
    SignUp.State.APPROVED: _("报名成功，请按时参加。"),
    SignUp.State.PENDING: _("报名已提交，等待社区审核。"),
    SignUp.State.WAITLISTED: _("名额已满，您已进入候补名单；有名额空出时按先后顺序递补。"),
}
ALREADY_SIGNED_UP = _("您已经报过名了。")
CANCELLED = _("已取消报名。")
NOT_SIGNED_UP = _("您没有报名这个活动。")
CHECKED_IN = _("签到成功，感谢您的参与！")
CANCEL_QUESTION = _("确定取消报名吗？")


def _redirect_to(page, request, route: str = "", query: str = "") -> HttpResponseRedirect:
    url = page.get_url(request) + (page.reverse_subpage(route) if route else "")
    return HttpResponseRedirect(url + (f"?{query}" if query else ""))


def _refusal(exc) -> str:
    """The message a user should read for a refused action."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or gettext("您没有权限执行这个操作。")
    return str(exc.message)


REFUSALS = (errors.ServiceError, TransitionConflict, PermissionDenied, ValidationError)


def _member_or_refuse(request, activity, *, next_url: str = ""):
    """(member, None) for a signed-in member; else (None, the response to send)."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(next_url or activity.get_url(request))
    member = member_of(request.user)
    if member is None:
        messages.error(request, errors.SIGNUP_NOT_A_MEMBER)
        return None, _redirect_to(activity, request)
    return member, None


def signup(request, activity: ActivityPage):
    if request.method != "POST":
        return _redirect_to(activity, request)
    member, refused = _member_or_refuse(request, activity)
    if refused:
        return refused
    before = SignUp.objects.filter(activity=activity, member=member).values("state").first()
    try:
        signup, _created = signup_create(activity=activity, member=member)
    except REFUSALS as exc:
        messages.error(request, _refusal(exc))
        return _redirect_to(activity, request)
    if before is None or before["state"] == SignUp.State.CANCELLED:
        messages.success(request, SIGNED_UP[signup.state])
    else:
        messages.info(request, ALREADY_SIGNED_UP)
    return _redirect_to(activity, request)


def cancel(request, activity: ActivityPage):
    """GET, or a POST without `confirm`: the question "确定取消报名吗？" with what it costs;
    only a POST with `confirm` cancels (one tap never gives a place away)."""
    member, refused = _member_or_refuse(request, activity)
    if refused:
        return refused
    signup = SignUp.objects.filter(activity=activity, member=member).first()
    if signup is None:
        messages.error(request, NOT_SIGNED_UP)
        return _redirect_to(activity, request)
    if request.method != "POST" or not request.POST.get("confirm"):
        return _cancel_question(request, activity)
    try:
        signup_cancel(signup=signup, by=request.user, reason=request.POST.get("reason", "")[:100])
    except REFUSALS as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, CANCELLED)
    return _redirect_to(activity, request)


def _cancel_question(request, activity: ActivityPage):
    response = activity.render(request, template="volunteering/activity_page_cancel.html")
    context = response.context_data
    if not context["can_cancel"]:
        # Past the deadline (or not allowed): say why on the activity page, ask nothing.
        return _redirect_to(activity, request)
    context["question"] = CANCEL_QUESTION
    context["consequence"] = cancel_consequence(
        signup=context["signup"], waitlist_length=context["waitlist_length"]
    )
    add_never_cache_headers(response)
    return response


def checkin(request, activity: ActivityPage):
    """GET: the page a member reaches by scanning the QR code (a button to confirm);
    POST: the check-in itself."""
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("code") or "").strip()[:40]
    if request.method == "POST":
        here = activity.get_url(request) + activity.reverse_subpage("checkin")
        member, refused = _member_or_refuse(
            request, activity, next_url=f"{here}?{urlencode({'code': code})}"
        )
        if refused:
            return refused
        try:
            signup_check_in(activity=activity, member=member, code=code)
        except REFUSALS as exc:
            messages.error(request, _refusal(exc))
            return _redirect_to(activity, request, "checkin", urlencode({"code": code}))
        messages.success(request, CHECKED_IN)
        return _redirect_to(activity, request)
    response = activity.render(
        request,
        template="volunteering/activity_page_checkin.html",
        context_overrides={"code": code},
    )
    add_never_cache_headers(response)
    return response


def checkin_qr(request, activity: ActivityPage):
    """The big QR code staff show at the venue; only that community's staff may see it."""
    if not is_staff_of(request.user, activity.community.pk):
        raise Http404
    path = activity.get_url(request) + activity.reverse_subpage("checkin")
    url = absolute_url(path) + "?" + urlencode({"code": activity.checkin_code})
    title = gettext("%(title)s 签到二维码") % {"title": activity.title}
    response = activity.render(
        request,
        template="volunteering/activity_page_checkin_qr.html",
        context_overrides={
            "checkin_url": url,
            "qr_code": mark_safe(qr_svg(url, title=title)),  # segno escapes the title
        },
    )
    add_never_cache_headers(response)
    return response


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def activity_listing_context(request, *, per_page: int) -> dict:
    """The listing's filter form, the page of activities it selects, and the query string
    that keeps the filters across pages."""
    form = ActivityFilterForm(request.GET)
    filters, notes = read_filters(form)
    for note in notes:
        messages.warning(request, note)
    listed = activities_for_listing(filters=filters, member=member_of(request.user))
    page_obj = Paginator(listed, per_page).get_page(request.GET.get("page"))
    page_obj.object_list = attach_communities(page_obj.object_list, known=form.county_communities)
    return {
        "filter_form": form,
        "filters": filters,
        "activities": page_obj.object_list,
        "page_obj": page_obj,
        "filter_query": _query_without(request, "page"),
        "is_filtered": any(vars(filters).values()),
    }


def _month_step(year: int, month: int, step: int) -> str:
    index = year * 12 + (month - 1) + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _place_query(county, community) -> dict:
    return {"community": community.pk} if community else {"county": county.pk} if county else {}


def _calendar_weeks(*, year, month, by_day, keep) -> list:
    """The month's weeks of (day, its CalendarDay or None, the listing's query for that day)."""
    weeks = []
    for week in month_weeks(year=year, month=month):
        days = []
        for day in week:
            on_day = {"date_from": day.isoformat(), "date_to": day.isoformat()}
            days.append((day, by_day.get(day), urlencode({**keep, **on_day})))
        weeks.append(days)
    return weeks


def month_calendar(request, index_page):
    """A server-rendered month table of live activities, city-wide, for one county or for one
    community; each day shows its first few activities and links to the listing of that day
    for the rest."""
    form = CalendarForm(request.GET)
    chosen, notes = read_calendar(form, today=timezone.localdate())
    for note in notes:
        messages.warning(request, note)
    year, month, community = chosen["year"], chosen["month"], chosen["community"]
    by_day = activities_by_day(
        year=year,
        month=month,
        county=chosen["county"],
        community=community,
        member=member_of(request.user),
    )
    keep = _place_query(chosen["county"], community)
    # Not index_page.render(): that would also build the listing, which this view doesn't show.
    return TemplateResponse(
        request,
        "volunteering/activity_index_page_calendar.html",
        {
            "page": index_page,
            "self": index_page,
            "calendar_form": form,
            "calendar_county": chosen["county"],
            "calendar_community": community,
            "month_start": datetime.date(year, month, 1),
            "weeks": _calendar_weeks(year=year, month=month, by_day=by_day, keep=keep),
            "today": timezone.localdate(),
            "place_query": urlencode(keep),
            "previous_query": urlencode({**keep, "month": _month_step(year, month, -1)}),
            "next_query": urlencode({**keep, "month": _month_step(year, month, 1)}),
        },
    )
