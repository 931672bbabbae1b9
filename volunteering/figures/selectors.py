"""The eight figures the programme's report opens with (截至目前，全市共有…), computed live for
the city, a county or a community, with their monthly trend and a breakdown by area.

What each figure counts:
- communities (社区): live community pages;
- organisations (机关单位 / 窗口单位 / 服务行业单位, by `Organisation.kind`): organisations taking
  part, i.e. with at least one member whose report to a community of the scope is confirmed;
- members reported (在职党员): distinct members with a confirmed report in the scope;
- activities held (开展为群众服务活动): live activities that have already started;
- suggestions heard, disputes resolved, difficulties solved, good deeds done: residents' voice
  (`volunteering.voice.selectors`).

Every count is an aggregate query: a scope costs the same handful of queries however many
members, reports and activities it has. Results are cached (`FIGURES_CACHE_SECONDS`) under a
generation token that `invalidate_figures` replaces whenever counted data changes
(`volunteering.figures.receivers`), so the cache never outlives a change by more than a request."""

import datetime
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.activities.models import ActivityPage
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report
from volunteering.voice.models import Feedback
from volunteering.voice.selectors import voice_figures, voice_figures_by_community

FIGURES_CACHE_SECONDS = 300  # the backstop: activities start without any row changing
TREND_MONTHS = 12
GENERATION_KEY = "figures:generation"
AGENCY, WINDOW, SERVICE = (
    Organisation.Kind.AGENCY,
    Organisation.Kind.WINDOW,
    Organisation.Kind.SERVICE,
)


@dataclass(frozen=True)
class Figures:
    communities: int = 0
    agencies: int = 0
    window_units: int = 0
    service_units: int = 0
    members_reported: int = 0
    activities_held: int = 0
    suggestions_heard: int = 0
    disputes_resolved: int = 0
    difficulties_solved: int = 0
    good_deeds_done: int = 0

    @property
    def organisations(self) -> int:
        return self.agencies + self.window_units + self.service_units

    @property
    def window_and_service_units(self) -> int:
        """The report names these together (窗口和服务行业单位)."""
        return self.window_units + self.service_units


@dataclass(frozen=True)
class TrendMonth:
    month: datetime.date  # the first day of the month
    members_reported: int = 0
    activities_held: int = 0
    items_heard: int = 0


@dataclass(frozen=True)
class AreaFigures:
    """One county (of the city) or one community (of a county), with its figures."""

    page_id: int
    title: str
    kind: str  # "county" or "community"
    figures: Figures = field(default_factory=Figures)


def invalidate_figures() -> None:
    """Forget every cached figure: the next read computes them again."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _cached(name: str, compute):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    key = f"figures:{generation}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FIGURES_CACHE_SECONDS)
    return value


def _scope_name(county: CountyPage | None, community: CommunityPage | None) -> str:
    if community is not None:
        return f"community:{community.pk}"
    if county is not None:
        return f"county:{county.pk}"
    return "city"


def figures(*, county: CountyPage | None = None, community: CommunityPage | None = None) -> Figures:
    """The eight figures of a community, a county, or (neither given) the city. Cached."""
    return _cached(
        _scope_name(county, community), lambda: _compute(county=county, community=community)
    )


def _related_scope(county, community, prefix: str = "community__") -> Q:
    """Rows that point at a community of the scope."""
    if community is not None:
        return Q(**{f"{prefix}id": community.pk})
    if county is not None:
        return Q(**{f"{prefix}path__startswith": county.path, f"{prefix}depth": county.depth + 1})
    return Q()


def _page_scope(county, community, *, depth_below: int) -> Q:
    """Pages of the scope: communities (`depth_below`=0 under a county) or activities (1)."""
    if community is not None:
        if depth_below == 0:
            return Q(pk=community.pk)
        return Q(path__startswith=community.path, depth=community.depth + depth_below)
    if county is not None:
        return Q(path__startswith=county.path, depth=county.depth + 1 + depth_below)
    return Q()


def _report_counts() -> dict:
    def organisations(kind):
        return Count(
            "member__organisation", distinct=True, filter=Q(member__organisation__kind=kind)
        )

    return {
        "members_reported": Count("member", distinct=True),
        "agencies": organisations(AGENCY),
        "window_units": organisations(WINDOW),
        "service_units": organisations(SERVICE),
    }


def _confirmed_reports():
    return Report.objects.filter(state=Report.State.CONFIRMED).order_by()


def _held_activities(now):
    return ActivityPage.objects.live().filter(starts_at__lte=now).order_by()


def _compute(*, county, community, now=None) -> Figures:
    now = now or timezone.now()
    reports = _confirmed_reports().filter(_related_scope(county, community))
    voice = voice_figures(county=county, community=community)
    return Figures(
        communities=CommunityPage.objects.live()
        .filter(_page_scope(county, community, depth_below=0))
        .count(),
        activities_held=_held_activities(now)
        .filter(_page_scope(county, community, depth_below=1))
        .count(),
        **reports.aggregate(**_report_counts()),
        suggestions_heard=voice.suggestions_heard,
        disputes_resolved=voice.disputes_resolved,
        difficulties_solved=voice.difficulties_solved,
        good_deeds_done=voice.good_deeds_done,
    )


def trend_months(today: datetime.date, count: int = TREND_MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this month last."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def figures_trend(
    *, county: CountyPage | None = None, community: CommunityPage | None = None
) -> list[TrendMonth]:
    """Members reported (by the month of their confirmed report), activities held and residents'
    items heard, per month for the last twelve months: three grouped queries. Cached."""
    return _cached(
        "trend:" + _scope_name(county, community),
        lambda: _compute_trend(county=county, community=community),
    )


def _by_month(queryset, field_name: str, count) -> dict[tuple[int, int], int]:
    rows = queryset.annotate(m=TruncMonth(field_name)).values("m").annotate(n=count)
    return {(row["m"].year, row["m"].month): row["n"] for row in rows if row["m"] is not None}


def _compute_trend(*, county, community) -> list[TrendMonth]:
    now = timezone.now()
    months = trend_months(timezone.localdate(now))
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    where = _related_scope(county, community)
    members = _by_month(
        _confirmed_reports().filter(where, created_at__gte=start),
        "created_at",
        Count("member", distinct=True),
    )
    activities = _by_month(
        _held_activities(now).filter(
            _page_scope(county, community, depth_below=1), starts_at__gte=start
        ),
        "starts_at",
        Count("pk"),
    )
    heard = _by_month(
        Feedback.objects.heard().filter(where, heard_on__gte=months[0]).order_by(),
        "heard_on",
        Count("pk"),
    )
    return [
        TrendMonth(
            month=m,
            members_reported=members.get((m.year, m.month), 0),
            activities_held=activities.get((m.year, m.month), 0),
            items_heard=heard.get((m.year, m.month), 0),
        )
        for m in months
    ]


def figures_by_area(*, county: CountyPage | None = None) -> list[AreaFigures]:
    """The figures of each county of the city, or of each community of `county`, in page order:
    a fixed number of grouped queries, however many areas and rows. Cached."""
    name = "areas:" + (f"county:{county.pk}" if county is not None else "city")
    return _cached(name, lambda: _compute_by_area(county=county))


def _areas(county):
    if county is not None:
        return list(CommunityPage.objects.live().child_of(county).order_by("path")), "community"
    return list(CountyPage.objects.live().order_by("path")), "county"


def _grouped(queryset, path_field: str, length: int, counts: dict) -> dict[str, dict]:
    rows = (
        queryset.annotate(area=Substr(path_field, 1, length))
        .values("area")
        .annotate(**counts)
        .order_by()
    )
    return {row.pop("area"): row for row in rows}


def _compute_by_area(*, county) -> list[AreaFigures]:
    areas, kind = _areas(county)
    if not areas:
        return []
    length = len(areas[0].path)
    now = timezone.now()
    scope = _related_scope(county, None)
    reports = _grouped(
        _confirmed_reports().filter(scope), "community__path", length, _report_counts()
    )
    communities = _grouped(
        CommunityPage.objects.live().filter(_page_scope(county, None, depth_below=0)).order_by(),
        "path",
        length,
        {"n": Count("pk")},
    )
    activities = _grouped(
        _held_activities(now).filter(_page_scope(county, None, depth_below=1)),
        "path",
        length,
        {"n": Count("pk")},
    )
    voice = _voice_by_area(county=county, length=length)
    return [
        AreaFigures(
            page_id=area.pk,
            title=area.title,
            kind=kind,
            figures=Figures(
                communities=communities.get(area.path, {}).get("n", 0),
                activities_held=activities.get(area.path, {}).get("n", 0),
                **reports.get(area.path, {}),
                **voice.get(area.path, {}),
            ),
        )
        for area in areas
    ]


def _voice_by_area(*, county, length: int) -> dict[str, dict]:
    """Residents' voice per community, summed into areas (plain counts add up)."""
    by_community = voice_figures_by_community(county=county)
    paths = dict(CommunityPage.objects.filter(pk__in=by_community.keys()).values_list("pk", "path"))
    totals: dict[str, dict] = {}
    for community_id, voice in by_community.items():
        area = paths[community_id][:length]
        total = totals.setdefault(area, dict.fromkeys(VOICE_FIELDS, 0))
        for name in VOICE_FIELDS:
            total[name] += getattr(voice, name)
    return totals


VOICE_FIELDS = ("suggestions_heard", "disputes_resolved", "difficulties_solved", "good_deeds_done")


def figures_scope(
    *, county: int | None = None, community: int | None = None
) -> tuple[CountyPage | None, CommunityPage | None]:
    """The live county and community named by ids (either, both or neither); raises
    `DoesNotExist` for an unknown, unpublished or mismatched id. A community brings its county."""
    if community is not None:
        found = CommunityPage.objects.live().get(pk=community)
        parent = CountyPage.objects.get(path=found.path[: -CommunityPage.steplen])
        if county is not None and county != parent.pk:
            raise CommunityPage.DoesNotExist
        return parent, found
    if county is not None:
        return CountyPage.objects.live().get(pk=county), None
    return None, None


@dataclass(frozen=True)
class FigureItem:
    key: str
    label: str
    value: int
    unit: str


def figure_items(result: Figures, *, with_communities: bool = True) -> list[FigureItem]:
    """The figures in the report's order, with their words and measure words (个, 名, 次…)."""
    rows = [
        ("communities", _("社区"), result.communities, _("个")),
        ("agencies", _("机关单位"), result.agencies, _("个")),
        ("window_units", _("窗口单位"), result.window_units, _("个")),
        ("service_units", _("服务行业单位"), result.service_units, _("个")),
        ("members_reported", _("报到在职党员"), result.members_reported, _("名")),
        ("activities_held", _("开展服务活动"), result.activities_held, _("次")),
        ("suggestions_heard", _("听取意见建议"), result.suggestions_heard, _("条")),
        ("disputes_resolved", _("化解矛盾纠纷"), result.disputes_resolved, _("件")),
        ("difficulties_solved", _("解决实际困难"), result.difficulties_solved, _("个")),
        ("good_deeds_done", _("办好事实事"), result.good_deeds_done, _("件")),
    ]
    if not with_communities:
        rows = rows[1:]
    return [FigureItem(key, str(label), value, str(unit)) for key, label, value, unit in rows]


REPORT_OPENING = _(
    "截至目前，%(scope)s共有%(communities)s个社区、%(agencies)s个机关单位、"
    "%(window_and_service)s个窗口和服务行业单位、%(members)s名在职党员参与到在职党员到社区报到"
    "为群众服务工作中，累计开展为群众服务活动%(activities)s次，听取群众意见建议%(heard)s条，"
    "化解矛盾纠纷%(disputes)s件，帮助社区和群众解决实际困难%(solved)s个，"
    "为社区和群众办好事实事%(deeds)s件。"
)


def report_opening(result: Figures, *, scope: str | None = None) -> str:
    """The report's first paragraph (截至目前，全市共有…) with the live figures."""
    return REPORT_OPENING % {
        "scope": scope or _("全市"),
        "communities": result.communities,
        "agencies": result.agencies,
        "window_and_service": result.window_and_service_units,
        "members": result.members_reported,
        "activities": result.activities_held,
        "heard": result.suggestions_heard,
        "disputes": result.disputes_resolved,
        "solved": result.difficulties_solved,
        "deeds": result.good_deeds_done,
    }
