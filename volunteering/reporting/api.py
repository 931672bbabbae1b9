"""The API's reports (报到): `POST /api/v1/reports`, confirm, return and history, a django-ninja
router assembled by `volunteering/api.py`. Writes call the reporting services; here the report is
found, the user's right to see it checked and the answer shaped."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import BaseModel

from portal.api_auth import ErrorOut
from portal.api_schemas import (
    ERRORS,
    MAX_ID,
    ObjectId,
    ReasonIn,
    Ref,
    _ref,
)
from volunteering.communities.api import COMMUNITY_NOT_FOUND
from volunteering.communities.models import CommunityPage
from volunteering.history import HistoryOut, history_data
from volunteering.reporting.models import Report
from volunteering.reporting.services import report_confirm, report_create, report_return
from volunteering.scopes import is_staff_of, member_of

router = Router(tags=["志愿服务"])
REPORT_NOT_FOUND = _("没有找到这条报到记录。")
REPORT_NOT_A_MEMBER = _("只有登记的在职党员可以报到。")
ReportStatus = Annotated[str, Field(json_schema_extra={"enum": Report.State.values})]


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
    # The answer is read inside the write's transaction: should the read fail, nothing was
    # written, so an error never stands for a report that was in fact made.
    with transaction.atomic():
        report = report_create(
            member=member,
            community=community,
            kind=payload.kind.value,
            is_primary=payload.is_primary,
            note=payload.note,
            by=request.auth,
        )
        report = _refetch_report(report)
    return Status(201, _report_data(report))


@router.post(
    "/reports/{report_id}/confirm",
    response={200: ReportOut, **ERRORS},
    summary="确认报到（社区工作人员）",
)
def report_confirm_view(request, report_id: int = ObjectId, payload: ReasonIn | None = None):
    report = _visible_report(request.auth, report_id)
    note = payload.reason if payload else ""
    with transaction.atomic():  # the answer read inside the write (report_create_view)
        report = _refetch_report(report_confirm(report=report, by=request.auth, note=note))
    return _report_data(report)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **ERRORS},
    summary="退回报到（社区工作人员，须填写理由）",
)
def report_return_view(request, report_id: int = ObjectId, payload: ReasonIn | None = None):
    report = _visible_report(request.auth, report_id)
    reason = payload.reason if payload else ""
    with transaction.atomic():  # the answer read inside the write (report_create_view)
        report = _refetch_report(report_return(report=report, by=request.auth, reason=reason))
    return _report_data(report)


@router.get(
    "/reports/{report_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    summary="报到的变更记录",
    description="谁、什么时候、做了什么、理由。报到的党员本人和该社区的工作人员可以查看；"
    "只读，其他请求方法一律返回 405。",
)
def report_history(request, report_id: int = ObjectId):
    return history_data(_visible_report(request.auth, report_id), request.auth)
