"""Report rates (报到率): for an organisation and a year, the members who reported and were
confirmed that year over the members on its roll (`Member.organisation`).

"Reported that year" means holding a confirmed report made in that year (to any community);
the same rule picks who a community assesses. An organisation below
`settings.ADVANCED_ORGANISATION_MIN_REPORT_RATE` (90%) is not eligible to be rated an advanced
organisation (先进单位) that year; nor is one with nobody on its roll (there is no rate).
All organisations' rates are one query."""

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from volunteering.models import Member, Organisation, Report


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
