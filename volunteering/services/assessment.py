"""Writing the year-end assessment (考核评定).

Staff of a community grade every member who reported there that year; the grade and comment
can be changed while the assessment is a draft or has been reopened, never once it has been
submitted (the lock is checked here, on the server, whatever the form showed). Only the city
reopens a submitted assessment, with a reason; every save leaves a history record."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from volunteering.models import Assessment, CommunityPage, Member
from volunteering.scopes import is_staff_of
from volunteering.selectors.assessment import reported_members
from volunteering.workflows import ASSESSMENT_WORKFLOW
from workflows.statemachine import record_actor

ASSESSMENT_LOCKED = _("考核评定已提交，不能修改；如需更改，请联系市委组织部退回。")
ASSESSMENT_GRADE_REQUIRED = _("请先选择评定等次。")
ASSESSMENT_NOT_REPORTED = _("该党员当年没有向本社区报到（已确认），不在考核范围内。")
ASSESSMENT_NOT_STAFF = _("只有本社区的工作人员可以进行考核评定。")
ASSESSMENT_DUPLICATE = _("该党员本年度已有考核评定，请刷新页面后再试。")


def _check_may_assess(*, member: Member, community: CommunityPage, year: int, by) -> None:
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(ASSESSMENT_NOT_STAFF)
    if not reported_members(community=community, year=year).filter(pk=member.pk).exists():
        raise ValidationError(ASSESSMENT_NOT_REPORTED)


@transaction.atomic
def assessment_save(
    *, member: Member, community: CommunityPage, year: int, grade: str, comment: str, by
) -> Assessment:
    """Save the grade and comment: creates the draft on first save; refused once submitted."""
    _check_may_assess(member=member, community=community, year=year, by=by)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(member=member, community=community, year=year)
        .first()
    )
    if assessment is None:
        assessment = Assessment(member=member, community=community, year=year)
        _fill(assessment, grade=grade, comment=comment, by=by)
        try:
            with transaction.atomic():
                return ASSESSMENT_WORKFLOW.start(assessment, "draft", by=by)
        except IntegrityError as error:
            raise ValidationError(ASSESSMENT_DUPLICATE) from error
    if assessment.state not in Assessment.EDITABLE_STATES:
        raise ValidationError(ASSESSMENT_LOCKED)
    _fill(assessment, grade=grade, comment=comment, by=by)
    assessment.full_clean()
    record_actor(assessment, by=by, reason=str(_("修改评定")))
    assessment.save()
    return assessment


def _fill(assessment: Assessment, *, grade: str, comment: str, by) -> None:
    assessment.grade = grade or ""
    assessment.comment = (comment or "").strip()
    assessment.assessed_by = by


@transaction.atomic
def assessment_submit(
    *, member: Member, community: CommunityPage, year: int, grade: str, comment: str, by
) -> Assessment:
    """Save and submit in one step: after this the assessment is locked."""
    assessment = assessment_save(
        member=member, community=community, year=year, grade=grade, comment=comment, by=by
    )
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    return ASSESSMENT_WORKFLOW.perform(assessment, "submit", by=by)


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by, reason: str) -> Assessment:
    """The city sends a submitted assessment back to the community to change (reason
    required, kept in the history)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    return ASSESSMENT_WORKFLOW.perform(assessment, "reopen", by=by, reason=reason)
