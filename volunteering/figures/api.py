"""`GET /api/v1/stats`: the report's eight figures, live, for the city, a county or a community,
with their twelve-month trend: the figures of the statistics page, from the same cached selector.
Mounted in portal/api.py; no token needed."""

from dataclasses import asdict

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from portal.api_auth import ErrorOut
from portal.api_schemas import MAX_ID
from portal.db_router import reads_from_replica
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.selectors import figures_scope, figures_trend

SCOPE_NOT_FOUND = _("没有找到这个县（市、区）或社区，或者社区不属于这个县（市、区）。")
router = Router(tags=["数据统计"])


class StatsQuery(Schema):
    county: int | None = Field(None, ge=1, le=MAX_ID, description="县（市、区）id")
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区 id")


class ScopeOut(Schema):
    kind: str = Field(description="city、county 或 community")
    id: int | None
    title: str


class FiguresOut(Schema):
    communities: int
    organisations: int
    agencies: int
    window_units: int
    service_units: int
    members_reported: int
    activities_held: int
    suggestions_heard: int
    disputes_resolved: int
    difficulties_solved: int
    good_deeds_done: int


class MonthOut(Schema):
    """Every figure as it stood at the end of the month (the current month: now), by the same
    definitions as `figures`: the last month always equals `figures`."""

    month: str = Field(description="YYYY-MM")
    communities: int
    agencies: int
    window_units: int
    service_units: int
    members_reported: int
    activities_held: int
    suggestions_heard: int
    disputes_resolved: int
    difficulties_solved: int
    good_deeds_done: int


class StatsOut(Schema):
    scope: ScopeOut
    figures: FiguresOut
    trend: list[MonthOut]


@router.get(
    "/stats",
    auth=None,
    response={200: StatsOut, 404: ErrorOut, 422: ErrorOut},
    summary="工作数据",
    description="全市、某县（市、区）或某社区的八项工作数据（实时统计，5 分钟内更新）和近 12 个月"
    "每月月底的累计数（本月为目前数，与 figures 相同）。"
    "community 优先；同时给出 county 时社区必须属于该县。",
)
@reads_from_replica()
def stats(request, query: Query[StatsQuery]):
    try:
        county, community = figures_scope(county=query.county, community=query.community)
    except (CountyPage.DoesNotExist, CommunityPage.DoesNotExist):
        raise Http404(SCOPE_NOT_FOUND) from None
    trend = figures_trend(county=county, community=community)
    result = trend[-1].figures  # the figures now: the trend's current month, by definition
    return {
        "scope": _scope(county, community),
        "figures": {name: getattr(result, name) for name in FiguresOut.model_fields},
        "trend": [{"month": f"{m.month:%Y-%m}", **asdict(m.figures)} for m in trend],
    }


def _scope(county, community) -> dict:
    if community is not None:
        return {"kind": "community", "id": community.pk, "title": community.title}
    if county is not None:
        return {"kind": "county", "id": county.pk, "title": county.title}
    return {"kind": "city", "id": None, "title": str(_("全市"))}
