"""Reading the points ledger: a member's points and stars, and the rankings of a community or an
organisation. Every figure is one aggregate query, whatever the number of entries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from portal.rankings import competition_ranks
from volunteering.communities.models import CommunityIndexPage, CommunityPage
from volunteering.communities.selectors import counties_with_communities
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


@dataclass
class RankingUnits:
    """What has a public ranking: organisations by county (those without one last), and the
    communities by county."""

    organisations_by_county: list[tuple[str, list[Organisation]]]
    counties: list


def ranking_units() -> RankingUnits:
    """Three queries whatever the number of organisations and communities."""
    by_county: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("county").order_by(
        F("county__path").asc(nulls_last=True), "name"
    ):
        county = organisation.county.title if organisation.county else ""
        by_county.setdefault(county, []).append(organisation)
    root = CommunityIndexPage.objects.live().public().first()
    counties = counties_with_communities(root=root) if root else []
    return RankingUnits(list(by_county.items()), counties)
