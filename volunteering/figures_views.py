"""Public pages of the live figures: the statistics page (数据统计) of the city, a county or a
community, and the display screen (显示屏) for community halls. Both read the cached figures
(`volunteering.selectors.figures`), so they cost the same however much data there is."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from news.selectors import community_news, latest_news
from volunteering.charts import Series, line_chart, month_label
from volunteering.models import CommunityPage, CountyPage
from volunteering.selectors.activities import (
    activities_for_listing,
    attach_communities,
    community_upcoming_activities,
)
from volunteering.selectors.figures import (
    figure_items,
    figures,
    figures_by_area,
    figures_scope,
    figures_trend,
)

SCREEN_SECONDS = 20  # each slide of the display screen, then the next one loads
SCREEN_ITEMS = 6
SCREEN_SLIDES = ("figures", "news", "activities")


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
        "items": figure_items(
            figures(county=county, community=community), with_communities=community is None
        ),
        "trend": trend,
        "chart": _trend_chart(trend, scope_title),
        "areas": [] if community else figures_by_area(county=county),
        "area_param": "community" if county else "county",
    }
    return render(request, "volunteering/statistics.html", context)


def _trend_chart(trend, scope_title: str):
    first, last = trend[0].month, trend[-1].month
    return line_chart(
        title=_("%(scope)s近12个月工作趋势") % {"scope": scope_title},
        description=_("%(first)s至%(last)s每月的报到党员、开展活动和听取意见数，详见下表。")
        % {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
        labels=[month_label(m.month) for m in trend],
        series=[
            Series(_("报到党员"), [m.members_reported for m in trend]),
            Series(_("开展活动"), [m.activities_held for m in trend]),
            Series(_("听取意见"), [m.items_heard for m in trend]),
        ],
    )


@require_GET
def display_screen(request, community_id: int | None = None):
    """A full-screen page for a hall's screen: the figures, the latest news and the coming
    activities, one at a time. Each slide reloads into the next (a meta refresh, no script),
    so the screen also picks up new data on its own."""
    county, community = _scope_or_404(county=None, community=community_id)
    slide = _int_or_404(request.GET.get("slide")) or 0
    slide = slide % len(SCREEN_SLIDES)
    name = SCREEN_SLIDES[slide]
    context = {
        "community": community,
        "scope_title": community.title if community else _("全市"),
        "slide": name,
        "next_slide": (slide + 1) % len(SCREEN_SLIDES),
        "seconds": SCREEN_SECONDS,
        "slides": SCREEN_SLIDES,
        "slide_index": slide,
    }
    context.update(_screen_slide(request, name, county=county, community=community))
    return render(request, "volunteering/display_screen.html", context)


def _screen_slide(request, name: str, *, county, community) -> dict:
    if name == "figures":
        result = figures(county=county, community=community)
        return {"items": figure_items(result, with_communities=community is None)}
    if name == "news":
        if community is not None:
            return {"news": community_news(community=community, limit=SCREEN_ITEMS)}
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        return {"news": latest_news(root=root, limit=SCREEN_ITEMS) if root else []}
    if community is not None:
        upcoming = community_upcoming_activities(community=community, limit=SCREEN_ITEMS)
        return {"activities": upcoming}
    return {"activities": attach_communities(activities_for_listing()[:SCREEN_ITEMS])}
