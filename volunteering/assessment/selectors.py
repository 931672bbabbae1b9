"""Reading for the year-end assessment (考核评定): who a community assesses in a year, and each
member's year there (activities attended, hours, points, pledges fulfilled, feedback handled).

A member is assessed by a community for a year when they reported there and the report was
confirmed (a confirmed report made that year), the same rule as the report rate
(`reported_in_year`, below). Every figure is one grouped query for the whole
community, whatever the number of members."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.assessment.models import (
    DEMONSTRATION_MAX,
    DEMONSTRATION_MIN,
    Assessment,
    DemonstrationCommunity,
    demonstration_cache_key,
)
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.menu.models import PostPledge
from volunteering.people.models import Member, Organisation
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.voice.models import Feedback


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


def grade_counts(rows: list[AssessmentRow]) -> dict[str, int]:
    counts = {value: 0 for value in Assessment.Grade.values}
    for row in rows:
        if row.assessment and row.assessment.grade:
            counts[row.assessment.grade] += 1
    return counts


__all__ = [
    "AssessmentRow",
    "YearSummary",
    "assessments_for_organisations",
    "community_assessment_rows",
    "grade_counts",
    "points_available",
    "reported_members",
    "year_summaries",
    "year_summary",
]
TOO_FEW = _("%(county)s%(year)s年只有%(count)s个示范点，应为3至5个。")
TOO_MANY = _("%(county)s%(year)s年有%(count)s个示范点，超过了5个。")


@dataclass
class CountyDesignations:
    county: CountyPage
    year: int
    designations: list[DemonstrationCommunity]

    @property
    def count(self) -> int:
        return len(self.designations)

    @property
    def warning(self) -> str:
        params = {"county": self.county.title, "year": self.year, "count": self.count}
        if self.count < DEMONSTRATION_MIN:
            return TOO_FEW % params
        if self.count > DEMONSTRATION_MAX:
            return TOO_MANY % params
        return ""


def designations_by_county(*, year: int) -> list[CountyDesignations]:
    """Every county (designated or not) with its demonstration communities for `year`: two
    queries."""
    by_county: dict[int, list] = {}
    rows = DemonstrationCommunity.objects.filter(year=year).select_related(
        "community", "designated_by"
    )
    for row in rows.order_by("community__title"):
        by_county.setdefault(row.county_id, []).append(row)
    return [
        CountyDesignations(county, year, by_county.get(county.pk, []))
        for county in CountyPage.objects.order_by("path")
    ]


DEMONSTRATIONS_CACHE_SECONDS = 600


def demonstration_community_ids(year: int) -> frozenset[int]:
    """The ids of `year`'s demonstration communities (at most five per county), kept in the
    shared cache: every community page shows its badge. Forgotten when a designation is saved or
    withdrawn (assessment/receivers.py)."""
    key = demonstration_cache_key(year)
    ids = cache.get(key)
    if ids is None:
        rows = DemonstrationCommunity.objects.filter(year=year)
        ids = frozenset(rows.values_list("community_id", flat=True))
        cache.set(key, ids, DEMONSTRATIONS_CACHE_SECONDS)
    return ids


def is_demonstration(community: CommunityPage, *, year: int | None = None) -> bool:
    """Whether `community` is a demonstration community this year (no query once cached)."""
    year = year or timezone.localdate().year
    return community.pk in demonstration_community_ids(year)


def min_report_rate() -> Fraction:
    # A Fraction of the setting's decimal text: 9/10 is exactly 0.9, not 0.8999….
    return Fraction(str(settings.ADVANCED_ORGANISATION_MIN_REPORT_RATE))


@dataclass
class ReportRate:
    organisation: Organisation
    roll: int
    reported: int

    @property
    def not_reported(self) -> int:
        return self.roll - self.reported

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.reported, self.roll) if self.roll else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(float(self.rate) * 100, 1)

    @property
    def eligible(self) -> bool:
        """May be rated an advanced organisation this year (the 90% rule)."""
        return self.rate is not None and self.rate >= min_report_rate()


def reported_in_year(year: int) -> Exists:
    """For a Member queryset: the member holds a confirmed report made in `year`."""
    return Exists(
        Report.objects.filter(
            member=OuterRef("pk"), state=Report.State.CONFIRMED, created_at__year=year
        )
    )


def organisation_report_rates(
    *, year: int, organisations: QuerySet[Organisation] | None = None
) -> list[ReportRate]:
    """Every organisation's (or these organisations') rate for `year`, by name."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    rows = organisations.annotate(
        roll=Count("members", distinct=True),
        reported=Count(
            "members",
            filter=Q(
                members__reports__state=Report.State.CONFIRMED,
                members__reports__created_at__year=year,
            ),
            distinct=True,
        ),
    ).order_by("name")
    return [ReportRate(o, o.roll, o.reported) for o in rows]


SORTS = {
    "name": lambda r: (r.organisation.name,),
    "rate": lambda r: (r.rate is None, r.rate or 0, r.organisation.name),
    "-rate": lambda r: (r.rate is None, -(r.rate or 0), r.organisation.name),
}


def sorted_rates(rates: list[ReportRate], sort: str) -> list[ReportRate]:
    """Sorted by name or by rate (organisations without a rate last)."""
    return sorted(rates, key=SORTS.get(sort, SORTS["name"]))


def non_reporters(*, organisation: Organisation, year: int) -> QuerySet[Member]:
    """The members on `organisation`'s roll who have no confirmed report made in `year`."""
    return (
        Member.objects.filter(organisation=organisation)
        .exclude(reported_in_year(year))
        .select_related("user")
        .order_by("real_name", "pk")
    )
