"""Reporting on the public site: a member reports to a community, or withdraws a report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.selectors import member_for_request
from volunteering.people.views import REFUSALS, _my_page, member_action, refusal_message
from volunteering.reporting import services as reports
from volunteering.reporting.forms import ReportForm
from volunteering.reporting.models import Report


@login_required
def report_create(request, pk):
    community = get_object_or_404(CommunityPage.objects.live().public(), pk=pk)
    member = member_for_request(request)
    form = None
    if member is not None:
        form = ReportForm(request.POST or None, member=member, community=community)
        if request.method == "POST" and form.is_valid():
            try:
                reports.report_create(member=member, community=community, **form.cleaned_data)
            except REFUSALS as exc:
                form.add_error(None, refusal_message(exc))
            else:
                messages.success(request, _("报到申请已提交，请等待社区工作人员确认。"))
                return redirect(community.url + "#service-messages")
    context = {
        "community": community,
        "member": member,
        "form": form,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/reporting/report_form.html", context)


@member_action(fallback=_my_page)
def report_withdraw(request, pk, member):
    report = get_object_or_404(Report, pk=pk, member=member)
    reports.report_withdraw(report=report, by=request.user)
    return _("已撤回报到。")
