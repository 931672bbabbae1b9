"""Writing the year-end assessment (考核评定).

Staff of a community grade every member who reported there that year; the grade and comment
can be changed while the assessment is a draft or has been reopened, never once it has been
submitted (the lock is checked here, on the server, whatever the form showed). Only the city
reopens a submitted assessment, with a reason; every save leaves a history record."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.assessment.models import (
    DEMONSTRATION_MAX,
    Assessment,
    DemonstrationCommunity,
    ReportReminder,
)
from volunteering.assessment.selectors import non_reporters, reported_members
from volunteering.assessment.workflows import ASSESSMENT_WORKFLOW
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Member, Organisation
from volunteering.scopes import is_city_admin, is_staff_of
from volunteering.tasks import notify
from workflows.statemachine import record_actor

ASSESSMENT_LOCKED = _("考核评定已提交，不能修改；如需更改，请联系市委组织部退回。")
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
    before = (assessment.grade, assessment.comment, assessment.assessed_by_id)
    _fill(assessment, grade=grade, comment=comment, by=by)
    if (assessment.grade, assessment.comment, assessment.assessed_by_id) == before:
        return assessment  # nothing changed: no history row that says nothing
    assessment.full_clean()
    # No reason: the history row shows the grade and comment that changed, by whom.
    record_actor(assessment, by=by)
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


DEMONSTRATION_CITY_ONLY = _("只有市委组织部可以认定示范点。")
DEMONSTRATION_TOO_MANY = _(
    "%(county)s%(year)s年已认定%(max)s个示范点，每个县（市、区）每年最多%(max)s个。"
)
DEMONSTRATION_DUPLICATE = _("%(community)s已是%(year)s年的示范点。")


@transaction.atomic
def demonstration_designate(
    *, community: CommunityPage, year: int, by, note: str = ""
) -> DemonstrationCommunity:
    if not is_city_admin(by):
        raise PermissionDenied(DEMONSTRATION_CITY_ONLY)
    county = CountyPage.objects.get(pk=community.get_parent().pk)
    # Lock the county's row: two designations at once cannot both be the sixth.
    CountyPage.objects.select_for_update().filter(pk=county.pk).first()
    params = {"county": county.title, "year": year, "max": DEMONSTRATION_MAX}
    if DemonstrationCommunity.objects.filter(community=community, year=year).exists():
        raise ValidationError(DEMONSTRATION_DUPLICATE % {"community": community.title, **params})
    if DemonstrationCommunity.objects.filter(county=county, year=year).count() >= DEMONSTRATION_MAX:
        raise ValidationError(DEMONSTRATION_TOO_MANY % params)
    designation = DemonstrationCommunity(
        community=community, county=county, year=year, designated_by=by, note=note.strip()
    )
    designation.full_clean(exclude=["county"])
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError as error:
        raise ValidationError(
            DEMONSTRATION_DUPLICATE % {"community": community.title, **params}
        ) from error
    return designation


@transaction.atomic
def demonstration_withdraw(*, designation: DemonstrationCommunity, by) -> None:
    if not is_city_admin(by):
        raise PermissionDenied(DEMONSTRATION_CITY_ONLY)
    designation._history_user = by
    designation.delete()


REMINDER_INTERVAL = datetime.timedelta(days=1)
REMIND_NOT_ORGANISATION_ADMIN = _("只有本单位的管理员可以提醒本单位党员报到。")


@dataclass
class RemindResult:
    sent: int
    skipped_recent: int
    without_email: int


def is_organisation_admin(user, organisation: Organisation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation.admins.filter(pk=user.pk).exists()
    )


@transaction.atomic
def report_reminders_send(*, organisation: Organisation, year: int, by) -> RemindResult:
    """Queue one reminder email to each member of `organisation` who has not reported in
    `year`, except those reminded within a day and those without an email address."""
    if not is_organisation_admin(by, organisation):
        raise PermissionDenied(REMIND_NOT_ORGANISATION_ADMIN)
    # Two admins clicking at once must not both send: serialise on the organisation.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    since = timezone.now() - REMINDER_INTERVAL
    recent = set(
        ReportReminder.objects.filter(organisation=organisation, sent_at__gte=since).values_list(
            "member_id", flat=True
        )
    )
    sent = skipped = without_email = 0
    for member in non_reporters(organisation=organisation, year=year):
        if member.pk in recent:
            skipped += 1
        elif not member.user.email or not member.user.is_active:
            without_email += 1
        else:
            reminder = ReportReminder.objects.create(
                member=member, organisation=organisation, year=year, sent_by=by
            )
            notify("report_reminder", reminder, year=year)
            sent += 1
    return RemindResult(sent, skipped, without_email)
