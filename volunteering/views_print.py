"""Printable records (打印档案): a member's service file (服务档案) and a community's contact
handbook (联系手册), as A4 pages to print and keep on paper at the community's window.

Anyone not allowed gets a 404, the same answer as for a member or community that does not
exist, so that the pages reveal nobody; the rules are in `volunteering.selectors.printing`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from volunteering.models import CommunityPage
from volunteering.selectors import printing


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
    member = printing.member_for_print(pk)
    if member is None or not printing.may_print_service_file(request.user, member):
        raise Http404
    title = _("%(name)s · 在职党员服务档案") % {"name": member.real_name}
    context = {
        # Whoever may print the file may see the phone: the same rule, asked once.
        "record": printing.service_file_print(member=member, show_phone=True),
        **running_header(title, timezone.localtime()),
    }
    return render(request, "volunteering/service_file_print.html", context)


@login_required
def contact_handbook_print(request, pk: int):
    community = CommunityPage.objects.filter(pk=pk).first()
    if community is None or not printing.may_print_handbook(request.user, community):
        raise Http404
    title = _("%(community)s · 联系手册") % {"community": community.title}
    context = {
        "handbook": printing.handbook_print(community=community, user=request.user),
        **running_header(title, timezone.localtime()),
    }
    return render(request, "volunteering/contact_handbook_print.html", context)


def handbook_buttons(page, user) -> list:
    """The "print the contact handbook" entry in a community page's admin header menu, for
    that community's staff and the city."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not CommunityPage or not printing.may_print_handbook(user, page):
        return []
    url = reverse("service:contact_handbook_print", args=[page.pk])
    return [Button(_("打印联系手册"), url, icon_name="doc-full", priority=80)]
