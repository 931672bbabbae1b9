"""Reading for the year-end assessment (考核评定): who a community assesses in a year, and each
member's year there (activities attended, hours, points, pledges fulfilled, feedback handled).

A member is assessed by a community for a year when they reported there and the report was
confirmed (a confirmed report made that year), the same rule as the report rate
(`volunteering.selectors.report_rates`). Every figure is one grouped query for the whole
community, whatever the number of members."""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, QuerySet, Sum

from volunteering.models import (
    Assessment,
    CommunityPage,
    Feedback,
    Member,
    PostPledge,
    Report,
    SignUp,
)


@dataclass
class YearSummary:
    """A member's year in one community, as the assessment form shows it."""

    activities: int = 0
    hours: Decimal = Decimal(0)
    # None when the points ledger is not available.
    points: Decimal | None = None
    pledges_fulfilled: int = 0
    feedback_handled: int = 0


@dataclass
class AssessmentRow:
    member: Member
    summary: YearSummary
    assessment: Assessment | None = None


def reported_members(*, community: CommunityPage, year: int) -> QuerySet[Member]:
    """Members with a confirmed report to `community` made in `year`: those it assesses."""
    reports = Report.objects.filter(
        community=community, state=Report.State.CONFIRMED, created_at__year=year
    )
    return (
        Member.objects.filter(pk__in=reports.values("member_id"))
        .select_related("organisation")
        .order_by("real_name", "pk")
    )


def _point_entries():
    """The points ledger's model, if the points feature is installed."""
    try:
        return apps.get_model("volunteering", "PointEntry")
    except LookupError:
        return None


def points_available() -> bool:
    return _point_entries() is not None


def year_summaries(
    *, community: CommunityPage, year: int, member_ids: list[int]
) -> dict[int, YearSummary]:
    """member id → their year in `community`, in five grouped queries."""
    summaries = {pk: YearSummary() for pk in member_ids}
    if not member_ids:
        return summaries
    signups = SignUp.objects.filter(
        member_id__in=member_ids,
        state=SignUp.State.ATTENDED,
        activity__path__startswith=community.path,
        activity__depth=community.depth + 1,
        activity__starts_at__year=year,
    )
    for row in signups.values("member_id").annotate(n=Count("pk"), hours=Sum("hours")):
        summary = summaries[row["member_id"]]
        summary.activities, summary.hours = row["n"], row["hours"] or Decimal(0)
    _count_into(
        summaries,
        "pledges_fulfilled",
        PostPledge.objects.filter(
            member_id__in=member_ids,
            post__community=community,
            state=PostPledge.State.FULFILLED,
            state_changed_at__year=year,
        ),
    )
    _count_into(
        summaries,
        "feedback_handled",
        Feedback.objects.filter(
            assigned_member_id__in=member_ids,
            community=community,
            state=Feedback.State.CLOSED,
            closed_at__year=year,
        ),
        member_field="assigned_member_id",
    )
    _points_into(summaries, community=community, year=year)
    return summaries


def _count_into(summaries, attribute: str, queryset, *, member_field: str = "member_id"):
    for row in queryset.values(member_field).annotate(n=Count("pk")):
        setattr(summaries[row[member_field]], attribute, row["n"])


def _points_into(summaries, *, community, year) -> None:
    PointEntry = _point_entries()
    if PointEntry is None:
        return
    for summary in summaries.values():
        summary.points = Decimal(0)
    entries = PointEntry.objects.filter(
        member_id__in=list(summaries), community=community, earned_at__year=year
    )
    for row in entries.values("member_id").annotate(total=Sum("amount")):
        summaries[row["member_id"]].points = row["total"] or Decimal(0)


def year_summary(*, member: Member, community: CommunityPage, year: int) -> YearSummary:
    return year_summaries(community=community, year=year, member_ids=[member.pk])[member.pk]


def community_assessment_rows(*, community: CommunityPage, year: int) -> list[AssessmentRow]:
    """Everyone `community` assesses for `year`, with their year and their assessment so far."""
    members = list(reported_members(community=community, year=year))
    ids = [m.pk for m in members]
    summaries = year_summaries(community=community, year=year, member_ids=ids)
    assessments = {
        a.member_id: a
        for a in Assessment.objects.filter(community=community, year=year, member_id__in=ids)
    }
    return [AssessmentRow(m, summaries[m.pk], assessments.get(m.pk)) for m in members]


def assessments_for_organisations(
    *, organisation_ids, year: int | None = None
) -> QuerySet[Assessment]:
    """The submitted results of the members of these organisations (what organisation admins
    see): drafts are the community's work in progress, not a result."""
    results = Assessment.objects.filter(
        member__organisation_id__in=organisation_ids, state=Assessment.State.SUBMITTED
    )
    if year is not None:
        results = results.filter(year=year)
    return results.select_related("member__organisation", "community").order_by(
        "member__organisation__name", "member__real_name", "community__title"
    )


def assessment_history(assessment: Assessment) -> QuerySet:
    """Every saved version, newest first, with who made it and why."""
    return assessment.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )


def grade_counts(rows: list[AssessmentRow]) -> dict[str, int]:
    counts = {value: 0 for value in Assessment.Grade.values}
    for row in rows:
        if row.assessment and row.assessment.grade:
            counts[row.assessment.grade] += 1
    return counts


__all__ = [
    "AssessmentRow",
    "YearSummary",
    "assessment_history",
    "assessments_for_organisations",
    "community_assessment_rows",
    "grade_counts",
    "points_available",
    "reported_members",
    "year_summaries",
    "year_summary",
]
