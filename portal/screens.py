"""The display screens (显示屏) for community halls, of the city (/screen/) and of one community
(/screen/community/<id>/): the live figures, the latest news and the coming activities, one
slide at a time. Portal sits above the apps, so the screen reads their selectors directly. The
figures are the cached ones (`volunteering.figures.selectors`), so a slide costs the same however
much data there is. URL names `figures:screen` and `figures:screen_community` (portal.urls)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from news.selectors import community_news, latest_news
from volunteering.activities.selectors import (
    activities_for_listing,
    attach_communities,
    community_upcoming_activities,
)
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.figures.selectors import figure_items, figures, figures_scope

SCREEN_SECONDS = 20  # each slide of the display screen, then the script loads the next one
SCREEN_ITEMS = 6
SCREEN_SLIDES = ("figures", "news", "activities")


@require_GET
def display_screen(request, community_id: int | None = None):
    """A full-screen page for a hall's screen: the figures, the latest news and the coming
    activities, one at a time. A small script (portal/js/screen.js) loads the next slide every
    SCREEN_SECONDS and swaps it in, so the screen also picks up new data on its own; a visible
    button pauses it (no meta refresh, which no one could stop)."""
    try:
        county, community = figures_scope(community=community_id)
        slide = int(request.GET.get("slide") or 0) % len(SCREEN_SLIDES)
    except (CountyPage.DoesNotExist, CommunityPage.DoesNotExist, ValueError):
        raise Http404 from None
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
    return render(request, "portal/display_screen.html", context)


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
