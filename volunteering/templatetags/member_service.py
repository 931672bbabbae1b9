"""What a community page shows a visitor about reporting (报到) and the service menu: the
member's own report and the report form, needs to claim, posts to pledge to, teams to join."""

from django import template
from django.utils import timezone

from volunteering import errors
from volunteering.history import decision_reasons
from volunteering.menu.selectors import community_service_menu
from volunteering.people.selectors import member_for_request
from volunteering.reporting.forms import ReportForm
from volunteering.reporting.models import Report

register = template.Library()


@register.simple_tag(takes_context=True)
def community_service(context, community):
    """{member, report, form, menu} for `community` and the request's user, in a fixed
    number of queries (none about members for visitors who are not signed in)."""
    request = context.get("request")
    today = timezone.localdate()
    member = member_for_request(request) if request is not None else None
    report = None
    form = None
    if member is not None:
        report = (
            Report.objects.filter(member=member, community=community)
            .order_by("-created_at", "-pk")
            .first()
        )
        if report is not None and report.state == Report.State.RETURNED:
            reasons = decision_reasons(model=Report, pks=[report.pk], state=report.state)
            report.decision_reason = reasons.get(report.pk, "")
        if report is None or report.state not in Report.ACTIVE_STATES:
            form = ReportForm(member=member, community=community)
    return {
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "active_states": Report.ACTIVE_STATES,
        "report": report,
        "form": form,
        "menu": community_service_menu(community=community, member=member),
        "pledge_start": today,
        "pledge_end": today.replace(month=12, day=31),
    }
