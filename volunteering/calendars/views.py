"""iCalendar feeds: a community's activities (public) and a member's own sign-ups (private,
at a URL with a secret token the member can regenerate), and the page showing that link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from portal import addresses
from volunteering.activities.models import ActivityPage
from volunteering.calendars.selectors import community_calendar_activities, member_calendar_signups
from volunteering.calendars.services import member_calendar_token, member_calendar_token_regenerate
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.scopes import member_of
from volunteering.signups.models import SignUp

PRODID = "-//community-service-portal//activities//ZH"
TOKEN_REGENERATED = _("已生成新的订阅地址，原来的地址已失效。")


# Calendar apps poll feeds; once an hour is plenty for activities.
FEED_MAX_AGE = 3600
STATUS = {
    SignUp.State.APPROVED: "CONFIRMED",
    SignUp.State.ATTENDED: "CONFIRMED",
    SignUp.State.PENDING: "TENTATIVE",
    SignUp.State.WAITLISTED: "TENTATIVE",
}


def _uid_domain() -> str:
    return addresses.host()


def activity_event(activity: ActivityPage, *, request, prefix: str = "", status: str = "") -> Event:
    """One VEVENT; its UID is stable, so calendar apps update an activity in place."""
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{_uid_domain()}")
    event.add("dtstamp", activity.last_published_at or timezone.now())
    event.add("dtstart", timezone.localtime(activity.starts_at))
    event.add("dtend", timezone.localtime(activity.ends_at))
    event.add("summary", f"{prefix}{activity.title}")
    event.add("location", activity.place)
    # The public address (PORTAL_BASE_URL), whatever address the feed was fetched from.
    url = addresses.page_url(activity, request)
    event.add("url", url)
    lines = [activity.summary, f"{activity.community.title} · {url}"]
    event.add("description", "\n".join(line for line in lines if line))
    if status:
        event.add("status", status)
    return event


def build_calendar(name: str, events) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _ics_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    visibility = "private" if private else "public"
    response["Cache-Control"] = f"{visibility}, max-age={FEED_MAX_AGE}"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response


def community_calendar(request, community_id: int):
    """The public feed of a community's activities."""
    community = get_object_or_404(CommunityPage.objects.live().public(), pk=community_id)
    events = [
        activity_event(a, request=request)
        for a in community_calendar_activities(community=community)
    ]
    name = gettext("%(community)s志愿服务活动") % {"community": community.title}
    return _ics_response(
        build_calendar(name, events), filename=f"community-{community.pk}.ics", private=False
    )


def _state_prefix(signup: SignUp) -> str:
    if signup.state == SignUp.State.APPROVED:
        return ""
    return f"[{signup.get_state_display()}] "


def member_calendar(request, token: str):
    """A member's own sign-ups, at the secret URL only they know."""
    member = Member.objects.filter(calendar_token=token).first() if token else None
    if member is None:
        raise Http404
    events = [
        activity_event(s.activity, request=request, prefix=_state_prefix(s), status=STATUS[s.state])
        for s in member_calendar_signups(member=member)
    ]
    name = gettext("我的志愿服务活动")
    return _ics_response(build_calendar(name, events), filename="my-activities.ics", private=True)


def member_calendar_url(request, member: Member) -> str:
    """The member's private feed URL (its token is made on first use)."""
    token = member_calendar_token(member=member)
    return addresses.absolute_url(reverse("member_calendar", args=[token]))


@login_required
def my_calendar(request):
    """Shows a member the address to subscribe to; POST makes a new one (revoking the old)."""
    member = member_of(request.user)
    if member is None:
        raise Http404
    if request.method == "POST":
        member_calendar_token_regenerate(member=member)
        messages.success(request, TOKEN_REGENERATED)
        return redirect("my_calendar")
    url = member_calendar_url(request, member)
    response = TemplateResponse(
        request,
        "volunteering/calendars/member_calendar.html",
        {
            "calendar_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "meta_title": gettext("订阅我的活动日历"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
