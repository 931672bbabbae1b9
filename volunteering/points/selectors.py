"""Reading the points ledger: a member's points and stars, and the rankings of a community or an
organisation. Every figure is one aggregate query, whatever the number of entries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from portal.rankings import competition_ranks
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Member, Organisation
from volunteering.points.models import PointEntry, StarThresholds

ROLLING_YEAR = datetime.timedelta(days=365)
RANKING_SIZE = 20


def year_start(now=None) -> datetime.datetime:
    """The start of the rolling year (the last 365 days) that stars and rankings count."""
    return (now or timezone.now()) - ROLLING_YEAR


def stars_for(points: Decimal, thresholds: StarThresholds | None = None) -> int:
    return (thresholds or StarThresholds.load()).stars_for(points)


@dataclass
class MemberPoints:
    total: Decimal
    year_total: Decimal
    stars: int
    entries: QuerySet  # newest first, ready to paginate

    @property
    def star_range(self) -> range:
        return range(self.stars)

    @property
    def empty_star_range(self) -> range:
        return range(5 - self.stars)


def member_entries(member: Member) -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(member=member).select_related("community", "rule")


def member_points(member: Member, *, now=None) -> MemberPoints:
    """A member's points: all time, over the rolling year, the stars that gives, the entries."""
    totals = PointEntry.objects.filter(member=member).aggregate(
        total=Sum("amount"),
        year=Sum("amount", filter=Q(earned_at__gte=year_start(now))),
    )
    year_total = totals["year"] or Decimal(0)
    return MemberPoints(
        total=totals["total"] or Decimal(0),
        year_total=year_total,
        stars=stars_for(year_total),
        entries=member_entries(member),
    )


@dataclass
class RankingRow:
    rank: int
    member: Member
    points: Decimal
    stars: int

    @property
    def public_name(self) -> str:
        return masked_name(self.member.real_name)


def masked_name(name: str) -> str:
    """杨** for 杨光明: the site names ordinary members to the public nowhere else (only team
    leaders appear by name), so a public ranking shows the first character and hides the rest,
    always behind two stars so that the length of a name gives nothing away either."""
    name = (name or "").strip()
    return (name[:1] or "") + "**"


def _ranking(entries: QuerySet, *, public: bool, limit: int, now=None) -> list[RankingRow]:
    entries = entries.filter(earned_at__gte=year_start(now))
    if public:
        entries = entries.filter(member__hide_from_rankings=False)
    rows = list(
        entries.values("member_id")
        .annotate(points=Sum("amount"))
        .filter(points__gt=0)
        .order_by("-points", "member_id")[:limit]
    )
    members = Member.objects.select_related("organisation").in_bulk([r["member_id"] for r in rows])
    thresholds = StarThresholds.load()
    ranks = competition_ranks([r["points"] for r in rows])  # equal points, equal rank
    return [
        RankingRow(rank, members[r["member_id"]], r["points"], thresholds.stars_for(r["points"]))
        for rank, r in zip(ranks, rows, strict=True)
    ]


def community_ranking(
    community: CommunityPage, *, public: bool = True, limit: int = RANKING_SIZE, now=None
) -> list[RankingRow]:
    """The top members by the points they earned in `community` over the rolling year; the
    public ranking leaves out members who asked not to appear."""
    return _ranking(
        PointEntry.objects.filter(community=community), public=public, limit=limit, now=now
    )


def organisation_ranking(
    organisation: Organisation, *, public: bool = True, limit: int = RANKING_SIZE, now=None
) -> list[RankingRow]:
    """The top members of `organisation` by all their points over the rolling year."""
    return _ranking(
        PointEntry.objects.filter(member__organisation=organisation),
        public=public,
        limit=limit,
        now=now,
    )


UNITS_PER_PAGE = 30  # organisations (or communities found by name) listed on the index at once
OTHER_ORGANISATIONS = "other"  # the index's "county" for organisations without a county


@dataclass
class RankingUnits:
    """What the rankings index lists for one choice: the live counties (always), and for a
    county (or a name searched) its communities and its organisations, as querysets to page
    through; organisations without a county under `OTHER_ORGANISATIONS`. Never the whole
    city's 1,476 organisations and 256 communities at once."""

    counties: list[CountyPage]
    county: CountyPage | None = None
    other: bool = False
    query: str = ""
    communities: QuerySet[CommunityPage] | None = None
    organisations: QuerySet[Organisation] | None = None

    @property
    def chosen(self) -> bool:
        return self.county is not None or self.other or bool(self.query)


def ranking_units(*, county: str = "", query: str = "") -> RankingUnits:
    """One query for the counties; the communities and organisations are left to the caller
    to page through (a fixed number of queries whatever their number)."""
    # Found by their page type's index and sorted here: ORDER BY path made SQLite walk the path
    # index of every page of the site (5,300 at city scale: 0.7 ms against 0.08 ms at 3,000
    # members) to pick out the nine counties.
    counties = sorted(
        CountyPage.objects.live().public().exact_type(CountyPage).order_by().only("title", "path"),
        key=lambda c: c.path,
    )
    units = RankingUnits(counties=counties, query=query)
    units.county = next((c for c in counties if str(c.pk) == county), None)
    units.other = county == OTHER_ORGANISATIONS and not query
    if not units.chosen:
        return units
    communities = CommunityPage.objects.live().public().order_by("path").only("title", "path")
    organisations = Organisation.objects.order_by("name").only("name")
    if query:
        communities = communities.filter(title__icontains=query)
        organisations = organisations.filter(name__icontains=query)
    if units.county is not None:
        communities = communities.child_of(units.county)
        organisations = organisations.filter(county=units.county)
    elif units.other:
        communities = communities.none()
        organisations = organisations.filter(county__isnull=True)
    units.communities, units.organisations = communities, organisations
    return units
