"""Printable records (打印档案): a member's service file (服务档案) and a community's contact
handbook (联系手册), as A4 pages to print and keep on paper at the community's window.

Anyone not allowed gets a 404, the same answer as for a member or community that does not
exist, so that the pages reveal nobody; the rules are in `volunteering.records.selectors`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.page_paths import first_page_of_type
from volunteering import errors
from volunteering.activities.models import ActivityIndexPage
from volunteering.communities.models import CommunityIndexPage, CommunityPage
from volunteering.history import member_timeline
from volunteering.letters.selectors import unread_count
from volunteering.people.selectors import may_print_service_file, member_for_request
from volunteering.points.selectors import member_points
from volunteering.privacy.selectors import pending_closure
from volunteering.records.history import member_record, member_record_title
from volunteering.records.selectors import (
    handbook_print,
    may_print_handbook,
    member_for_print,
    my_service,
)
from volunteering.records.selectors import (
    service_file_print as service_file_record,
)
from volunteering.reporting.models import Report


def css_string(text: str) -> str:
    """`text` safe inside a double-quoted CSS string in a <style> element: every character
    that could end the string, the rule or the element is written as a CSS hex escape."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&\n\r' or ord(char) < 32 else char for char in text
    )
    return mark_safe(escaped)  # noqa: S308 - every dangerous character is escaped above


def running_header(title: str, printed_at) -> dict:
    """The page header printed on every sheet (the template puts it in @page margin boxes)."""
    return {
        "printed_at": printed_at,
        "running_title": css_string(title),
        "running_date": css_string(
            _("打印日期：%(date)s") % {"date": printed_at.strftime("%Y-%m-%d")}
        ),
    }


@login_required
def service_file_print(request, pk: int):
    member = member_for_print(pk)
    if member is None or not may_print_service_file(request.user, member):
        raise Http404
    title = _("%(name)s · 在职党员服务档案") % {"name": member.real_name}
    context = {
        # Whoever may print the file may see the phone: the same rule, asked once.
        "record": service_file_record(member=member, show_phone=True),
        **running_header(title, timezone.localtime()),
    }
    return render(request, "volunteering/records/service_file_print.html", context)


@login_required
def contact_handbook_print(request, pk: int):
    community = CommunityPage.objects.filter(pk=pk).first()
    if community is None or not may_print_handbook(request.user, community):
        raise Http404
    title = _("%(community)s · 联系手册") % {"community": community.title}
    context = {
        "handbook": handbook_print(community=community, user=request.user),
        **running_header(title, timezone.localtime()),
    }
    return render(request, "volunteering/records/contact_handbook_print.html", context)


def handbook_buttons(page, user) -> list:
    """The "print the contact handbook" entry in a community page's admin header menu, for
    that community's staff and the city."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not CommunityPage or not may_print_handbook(user, page):
        return []
    url = reverse("service:contact_handbook_print", args=[page.pk])
    return [Button(_("打印联系手册"), url, icon_name="doc-full", priority=80)]


@login_required
def my_service_view(request):
    member = member_for_request(request)
    context = {
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "service": my_service(member=member) if member else None,
        "active_report_states": Report.ACTIVE_STATES,
        "communities_index": first_page_of_type(CommunityIndexPage),
        "activities_index": first_page_of_type(ActivityIndexPage),
        "calendar_url": reverse("my_calendar") if member else "",
        "points": member_points(member) if member else None,
        "closure": pending_closure(member),
        "letters_unread": unread_count(member),
    }
    return render(request, "volunteering/records/my_service.html", context)


@login_required
def my_history(request, kind, pk):
    """The history of one of the member's own records (报到, 报名, 认领, 领岗, 入队): when, what,
    by whom (by role) and why. Anyone else's record answers 404, as if it did not exist."""
    member = member_for_request(request)
    record = member_record(member=member, kind=kind, pk=pk) if member else None
    if record is None:
        raise Http404
    context = {
        "member": member,
        "record": record,
        "title": member_record_title(record),
        "timeline": member_timeline(member=member, obj=record),
    }
    return render(request, "volunteering/records/my_history.html", context)
