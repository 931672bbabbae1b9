"""Reporting to a community (报到): create, confirm, return, withdraw."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.reporting.models import Report, ServiceFile
from volunteering.reporting.workflows import REPORT_WORKFLOW
from volunteering.tasks import notify
from workflows.history import system_reason
from workflows.statemachine import record_actor

# Why a service file's history changed: it follows the member's confirmed report.
# Reasons the system gives for a service file's history row: stored as codes (read in the
# reader's language).
SERVICE_FILE_OPENED = system_reason("service_file_opened", _("确认报到时建立"))
SERVICE_FILE_RELINKED = system_reason("service_file_relinked", _("确认新的报到时重新关联"))


@transaction.atomic
def report_create(
    *,
    member: Member,
    community: CommunityPage,
    kind: str,
    is_primary: bool = False,
    note: str = "",
    by=None,
) -> Report:
    """A member reports to a community. Refused if a live report to it exists already."""
    Member.objects.select_for_update().get(pk=member.pk)  # one report at a time per member
    if not community.live:
        raise errors.ServiceError(errors.REPORT_COMMUNITY_NOT_LIVE)
    active = Report.objects.filter(member=member, state__in=Report.ACTIVE_STATES)
    if active.filter(community=community).exists():
        raise errors.ServiceError(errors.REPORT_DUPLICATE)
    if is_primary and active.filter(is_primary=True).exists():
        raise errors.ServiceError(errors.REPORT_PRIMARY_EXISTS)
    if kind == Report.Kind.LINKED and member.organisation.linked_community_id != community.pk:
        raise errors.ServiceError(errors.REPORT_KIND_NOT_LINKED, code="invalid")
    if not active.exists():
        is_primary = True  # a member's first community is their primary one
    report = Report(
        member=member, community=community, kind=kind, is_primary=is_primary, note=note.strip()
    )
    try:
        with transaction.atomic():
            REPORT_WORKFLOW.start(report, "submit", by=by or member.user)
    except IntegrityError as exc:  # a concurrent duplicate slipped past the check
        raise errors.ServiceError(errors.REPORT_DUPLICATE) from exc
    return report


@transaction.atomic
def report_confirm(*, report: Report, by, note: str = "") -> Report:
    """Staff confirm a report; the member's service file (服务档案) opens in that community."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    REPORT_WORKFLOW.perform(report, "confirm", by=by, reason=note)
    _open_service_file(report, by=by)
    notify("report_confirmed", report)
    return report


def _open_service_file(report: Report, *, by) -> ServiceFile:
    """Open the member's file in the community, or point the existing one at this report; its
    history says who did it and why. (The confirmed report is locked, and only one report per
    member and community can be live, so no second file races this one.)"""
    service_file = ServiceFile.objects.filter(
        member_id=report.member_id, community_id=report.community_id
    ).first()
    if service_file is None:
        service_file = ServiceFile(
            member_id=report.member_id, community_id=report.community_id, report=report
        )
        record_actor(service_file, by=by, reason=SERVICE_FILE_OPENED)
        service_file.save()
    elif service_file.report_id != report.pk:
        service_file.report = report
        record_actor(service_file, by=by, reason=SERVICE_FILE_RELINKED)
        service_file.save(update_fields=["report"])
    return service_file


@transaction.atomic
def report_return(*, report: Report, by, reason: str) -> Report:
    """Staff return a report with a reason the member will read."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    REPORT_WORKFLOW.perform(report, "return", by=by, reason=reason)
    notify("report_returned", report, reason=reason)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, by, reason: str = "") -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    REPORT_WORKFLOW.perform(report, "withdraw", by=by, reason=reason)
    return report
