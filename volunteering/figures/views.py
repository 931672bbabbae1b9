"""The public page of the live figures: the statistics page (数据统计) of the city, a county or a
community. It reads the cached figures (`volunteering.figures.selectors`), so it costs the same
however much data there is. (The display screens, which also show news, are portal's:
portal/screens.py.)"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.db_router import reads_from_replica
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.charts import Series, line_chart, month_label
from volunteering.figures.selectors import (
    FIGURE_NAMES,
    figure_items,
    figure_words,
    figures_by_area,
    figures_scope,
    figures_trend,
)


def _int_or_404(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def _scope_or_404(*, county, community):
    try:
        return figures_scope(county=county, community=community)
    except (CountyPage.DoesNotExist, CommunityPage.DoesNotExist):
        raise Http404 from None


@require_GET
@reads_from_replica()
def statistics(request):
    """The eight figures, their monthly trend (SVG chart and table) and the areas below."""
    county, community = _scope_or_404(
        county=_int_or_404(request.GET.get("county")),
        community=_int_or_404(request.GET.get("community")),
    )
    scope_title = community.title if community else county.title if county else _("全市")
    trend = figures_trend(county=county, community=community)
    context = {
        "county": county,
        "community": community,
        "scope_title": scope_title,
        # The cards are the trend's current month: the same definitions, read once.
        "items": figure_items(trend[-1].figures, with_communities=community is None),
        "trend": trend,
        "trend_names": TREND_FIGURES,
        "trend_headings": [figure_words(name) for name in TREND_FIGURES],
        "chart": _trend_chart(trend, scope_title),
        "areas": [] if community else figures_by_area(county=county),
        "area_param": "community" if county else "county",
        # The areas' columns, in the cards' words (a county's areas are communities: no count).
        "area_headings": [figure_words(name) for name in FIGURE_NAMES[1 if county else 0 :]],
    }
    return render(request, "volunteering/figures/statistics.html", context)


# The figures drawn in the trend, with the words of their cards.
TREND_FIGURES = ("members_reported", "activities_held", "suggestions_heard")


def _trend_chart(trend, scope_title: str):
    first, last = trend[0].month, trend[-1].month
    return line_chart(
        title=_("%(scope)s近12个月工作趋势") % {"scope": scope_title},
        description=_(
            "%(first)s至%(last)s每月月底累计的报到在职党员、开展服务活动和听取意见建议数"
            "（本月为目前数），详见下表。"
        )
        % {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
        labels=[month_label(m.month) for m in trend],
        series=[
            Series(figure_words(name), [getattr(m.figures, name) for m in trend])
            for name in TREND_FIGURES
        ],
    )
