"""The eight figures the programme's report opens with (截至目前，全市共有…), computed live for
the city, a county or a community, with their monthly trend and a breakdown by area.

Each figure is defined once, in `DEFINITIONS`: the rows it counts (a source, and a rule on
them), what it counts (rows, or distinct members or organisations), and the field that dates a
row (when it began to count). Its value *at a moment* is the number of those rows dated on or
before that moment. The card shows the value now; the trend shows the value at the end of each
of the last twelve months, the current month's being the value now, so that the trend's last
point is always the card's number; the areas and the API read the same values.

- communities (社区): live community pages, dated by their first publication;
- organisations (机关单位 / 窗口单位 / 服务行业单位, by `Organisation.kind`): organisations with
  at least one member whose report to a community of the scope is confirmed, dated by the report;
- members reported (在职党员): distinct members with a confirmed report in the scope, dated by
  the report (报到时间);
- activities held (开展为群众服务活动): live activities, dated by their start (so only those
  already started count);
- suggestions heard, disputes resolved, difficulties solved, good deeds done: residents' voice,
  by the rules of `volunteering.voice.selectors`, dated by the day heard, the day closed and the
  day done.

docs/figures.md says the same for staff. Every value is an aggregate query per source (five
sources), whatever the number of rows or months. Every read is served from the shared cache and
recomputed by one task after a change (`volunteering.figures.freshness`, `.tasks`, `.receivers`):
a request at city scale never computes a figure, except the very first read of a scope."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy

from volunteering.activities.models import ActivityPage
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.freshness import Scope, mark_changed, read, request_recompute
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report
from volunteering.voice.models import Feedback, GoodDeed
from volunteering.voice.selectors import (
    DIFFICULTIES_SOLVED,
    DISPUTES_RESOLVED,
    SUGGESTIONS_HEARD,
)

TREND_MONTHS = 12
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


FIGURE_NAMES = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class TrendMonth:
    """The figures as they stood at the end of `month` (for the current month: now)."""

    month: datetime.date  # the first day of the month
    figures: Figures = field(default_factory=Figures)


@dataclass(frozen=True)
class AreaFigures:
    """One county (of the city) or one community (of a county), with its figures."""

    page_id: int
    title: str
    kind: str  # "county" or "community"
    figures: Figures = field(default_factory=Figures)


# --- The definitions ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Source:
    """The rows some figures count: all of them are counted in one query per source."""

    rows: Callable[[], models.QuerySet]
    scope: Callable[..., Q]  # (county, community) -> the rows of that scope
    area_path: str  # the field holding the path of the row's page (for the areas)


COMMUNITIES = Source(
    rows=lambda: CommunityPage.objects.live().order_by(),
    scope=lambda county, community: _page_scope(county, community, depth_below=0),
    area_path="path",
)
ACTIVITIES = Source(
    rows=lambda: ActivityPage.objects.live().order_by(),
    scope=lambda county, community: _page_scope(county, community, depth_below=1),
    area_path="path",
)
CONFIRMED_REPORTS = Source(
    rows=lambda: Report.objects.filter(state=Report.State.CONFIRMED).order_by(),
    scope=_related_scope,
    area_path="community__path",
)
FEEDBACK = Source(
    rows=lambda: Feedback.objects.order_by(), scope=_related_scope, area_path="community__path"
)
GOOD_DEEDS = Source(
    rows=lambda: GoodDeed.objects.order_by(), scope=_related_scope, area_path="community__path"
)
SOURCES = (COMMUNITIES, CONFIRMED_REPORTS, ACTIVITIES, FEEDBACK, GOOD_DEEDS)


@dataclass(frozen=True)
class Definition:
    """One figure: the rows of `source` matching `rule`, counted by `counted` (distinct or
    not), each row counting from the moment in its `dated_by` field (a row without a date
    counts from the start)."""

    name: str
    source: Source
    dated_by: str
    rule: Q = field(default_factory=Q)
    counted: str = "pk"
    distinct: bool = False

    def count(self, cutoff: "Cutoff") -> Count:
        model = self.source.rows().model
        dated = model._meta.get_field(self.dated_by)
        moment = cutoff.moment if isinstance(dated, models.DateTimeField) else cutoff.day
        until = Q(**{f"{self.dated_by}__lte": moment}) | Q(**{f"{self.dated_by}__isnull": True})
        return Count(self.counted, distinct=self.distinct, filter=self.rule & until)


def _organisations(name: str, kind) -> Definition:
    return Definition(
        name,
        CONFIRMED_REPORTS,
        "created_at",
        rule=Q(member__organisation__kind=kind),
        counted="member__organisation",
        distinct=True,
    )


DEFINITIONS = (
    Definition("communities", COMMUNITIES, "first_published_at"),
    _organisations("agencies", AGENCY),
    _organisations("window_units", WINDOW),
    _organisations("service_units", SERVICE),
    Definition(
        "members_reported", CONFIRMED_REPORTS, "created_at", counted="member", distinct=True
    ),
    Definition("activities_held", ACTIVITIES, "starts_at"),
    Definition("suggestions_heard", FEEDBACK, "heard_on", rule=SUGGESTIONS_HEARD),
    Definition("disputes_resolved", FEEDBACK, "closed_at", rule=DISPUTES_RESOLVED),
    Definition("difficulties_solved", FEEDBACK, "closed_at", rule=DIFFICULTIES_SOLVED),
    Definition("good_deeds_done", GOOD_DEEDS, "done_on"),
)
assert tuple(d.name for d in DEFINITIONS) == FIGURE_NAMES  # one definition per figure


@dataclass(frozen=True)
class Cutoff:
    """A moment the figures are taken at, and its local day (for rows dated by a day)."""

    moment: datetime.datetime
    day: datetime.date


def now_cutoff(now: datetime.datetime | None = None) -> Cutoff:
    now = now or timezone.now()
    return Cutoff(now, timezone.localdate(now))


def month_cutoffs(now: datetime.datetime | None = None, count: int = TREND_MONTHS) -> list:
    """(month, cutoff) for the last `count` months, oldest first: the end of each month, and
    for the current month now."""
    current = now_cutoff(now)
    months = trend_months(current.day, count)
    result = []
    for month in months[:-1]:
        following = _next_month(month)
        start = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))
        last_day = following - datetime.timedelta(days=1)
        result.append((month, Cutoff(start - datetime.timedelta(microseconds=1), last_day)))
    result.append((months[-1], current))
    return result


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _values_at(cutoffs: list[Cutoff], *, county=None, community=None) -> list[Figures]:
    """The figures of the scope at each cutoff: one aggregate query per source."""
    values: list[dict] = [{} for _cutoff in cutoffs]
    for source in SOURCES:
        counts = {
            f"{d.name}_{i}": d.count(cutoff)
            for d in DEFINITIONS
            if d.source is source
            for i, cutoff in enumerate(cutoffs)
        }
        row = source.rows().filter(source.scope(county, community)).aggregate(**counts)
        for key, value in row.items():
            name, index = key.rsplit("_", 1)
            values[int(index)][name] = value or 0
    return [Figures(**one) for one in values]


# --- Reads -------------------------------------------------------------------------------------


def invalidate_figures() -> None:
    """Counted data changed outside the signals (a bulk load): the figures are stale from now on
    and one recompute is queued (see `volunteering.figures.freshness`)."""
    mark_changed()
    request_recompute()


def _pk(page) -> int | None:
    return page.pk if page is not None else None


def figures(*, county: CountyPage | None = None, community: CommunityPage | None = None) -> Figures:
    """The eight figures of a community, a county, or (neither given) the city, now. Cached."""
    return read(
        Scope("figures", _pk(county), _pk(community)),
        lambda: _values_at([now_cutoff()], county=county, community=community)[0],
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
    """Every figure as it stood at the end of each of the last twelve months (this month: now),
    by the same definitions as the cards: one query per source. Cached."""
    return read(
        Scope("trend", _pk(county), _pk(community)),
        lambda: _compute_trend(county=county, community=community),
    )


def _compute_trend(*, county, community) -> list[TrendMonth]:
    months = month_cutoffs()
    values = _values_at([cutoff for _month, cutoff in months], county=county, community=community)
    return [
        TrendMonth(month=month, figures=one)
        for (month, _cutoff), one in zip(months, values, strict=True)
    ]


def figures_by_area(*, county: CountyPage | None = None) -> list[AreaFigures]:
    """The figures of each county of the city, or of each community of `county`, in page order,
    now: one grouped query per source, however many areas and rows. Cached."""
    return read(Scope("areas", _pk(county)), lambda: _compute_by_area(county=county))


def compute_for(scope: Scope) -> Callable[[], object]:
    """What computes `scope`'s value (for the recompute task); `DoesNotExist` if its county or
    community is no longer live."""
    county = CountyPage.objects.live().get(pk=scope.county) if scope.county else None
    community = CommunityPage.objects.live().get(pk=scope.community) if scope.community else None
    if scope.kind == "figures":
        return lambda: _values_at([now_cutoff()], county=county, community=community)[0]
    if scope.kind == "trend":
        return lambda: _compute_trend(county=county, community=community)
    return lambda: _compute_by_area(county=county)


def _areas(county):
    if county is not None:
        return list(CommunityPage.objects.live().child_of(county).order_by("path")), "community"
    return list(CountyPage.objects.live().order_by("path")), "county"


def _compute_by_area(*, county) -> list[AreaFigures]:
    areas, kind = _areas(county)
    if not areas:
        return []
    length = len(areas[0].path)
    cutoff = now_cutoff()
    by_area: dict[str, dict] = {}
    for source in SOURCES:
        counts = {d.name: d.count(cutoff) for d in DEFINITIONS if d.source is source}
        rows = (
            source.rows()
            .filter(source.scope(county, None))
            .annotate(area=Substr(source.area_path, 1, length))
            .values("area")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            by_area.setdefault(row.pop("area"), {}).update(row)
    return [
        AreaFigures(
            page_id=area.pk,
            title=area.title,
            kind=kind,
            figures=Figures(**by_area.get(area.path, {})),
        )
        for area in areas
    ]


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


# Each figure's words, the same on its card, in the trend's chart and table, and on the display
# screen. Counted nouns agree with the number in English ("1 community", "6 communities"); Chinese
# has one form and a measure word (个, 名, 次…) after the number instead. Lazy with the number
# given by name: `FIGURE_WORDS[name] % {"n": value}` picks the form.
FIGURE_WORDS = {
    "communities": npgettext_lazy("figure", "社区", "社区", "n"),
    "agencies": npgettext_lazy("figure", "机关单位", "机关单位", "n"),
    "window_units": npgettext_lazy("figure", "窗口单位", "窗口单位", "n"),
    "service_units": npgettext_lazy("figure", "服务行业单位", "服务行业单位", "n"),
    "members_reported": npgettext_lazy("figure", "报到在职党员", "报到在职党员", "n"),
    "activities_held": npgettext_lazy("figure", "开展服务活动", "开展服务活动", "n"),
    "suggestions_heard": npgettext_lazy("figure", "听取意见建议", "听取意见建议", "n"),
    "disputes_resolved": npgettext_lazy("figure", "化解矛盾纠纷", "化解矛盾纠纷", "n"),
    "difficulties_solved": npgettext_lazy("figure", "解决实际困难", "解决实际困难", "n"),
    "good_deeds_done": npgettext_lazy("figure", "办好事实事", "办好事实事", "n"),
}
FIGURE_UNITS = {
    "communities": _("个"),
    "agencies": _("个"),
    "window_units": _("个"),
    "service_units": _("个"),
    "members_reported": _("名"),
    "activities_held": _("次"),
    "suggestions_heard": _("条"),
    "disputes_resolved": _("件"),
    "difficulties_solved": _("个"),
    "good_deeds_done": _("件"),
}


def figure_words(name: str, count: int = 2) -> str:
    """A figure's words in the reader's language, agreeing with `count` (a heading: plural)."""
    return str(FIGURE_WORDS[name] % {"n": count})


@dataclass(frozen=True)
class FigureItem:
    key: str
    label: str
    value: int
    unit: str


def figure_items(result: Figures, *, with_communities: bool = True) -> list[FigureItem]:
    """The figures in the report's order, with their words and measure words (个, 名, 次…)."""
    names = FIGURE_NAMES if with_communities else FIGURE_NAMES[1:]
    return [
        FigureItem(
            name,
            figure_words(name, getattr(result, name)),
            getattr(result, name),
            str(FIGURE_UNITS[name]),
        )
        for name in names
    ]


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
