"""Points on the public site: the member's own ledger (/my/points/), and the rankings of a
community and of an organisation (members who opted out are left out; names are masked)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Organisation
from volunteering.people.selectors import member_for_request
from volunteering.points.selectors import (
    OTHER_ORGANISATIONS,
    RANKING_SIZE,
    UNITS_PER_PAGE,
    community_ranking,
    member_points,
    organisation_ranking,
    ranking_units,
)

ENTRIES_PER_PAGE = 20
QUERY_LENGTH = 50
COMMUNITIES_SHOWN = 100  # a county's communities on the rankings index (a search: the first)


@login_required
def my_points(request):
    member = member_for_request(request)
    points = member_points(member) if member else None
    page_obj = (
        Paginator(points.entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
        if points
        else None
    )
    context = {
        "member": member,
        "points": points,
        "page_obj": page_obj,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/points/point_ledger.html", context)


def rankings_index(request):
    """积分排行: the counties first; a county (or a name searched) lists its communities and,
    page by page, its organisations, each linking to its ranking (linked from the statistics
    page). A fixed number of queries and links whatever the size of the city."""
    query = " ".join((request.GET.get("q") or "").split())[:QUERY_LENGTH]
    units = ranking_units(county=request.GET.get("county") or "", query=query)
    context = {"units": units, "query": query, "other": OTHER_ORGANISATIONS}
    if units.chosen:
        page_obj = Paginator(units.organisations, UNITS_PER_PAGE).get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        communities = list(units.communities[: COMMUNITIES_SHOWN + 1])
        context["communities"] = communities[:COMMUNITIES_SHOWN]
        context["more_communities"] = len(communities) > COMMUNITIES_SHOWN
        context["communities_shown"] = COMMUNITIES_SHOWN
        context["filter_query"] = urlencode(
            {k: v for k, v in (("county", request.GET.get("county")), ("q", query)) if v}
        )
    return render(request, "volunteering/points/rankings_index.html", context)


def community_ranking_view(request, pk):
    community = get_object_or_404(CommunityPage.objects.live().public(), pk=pk)
    context = {
        "unit_name": community.title,
        "unit_url": community.url,
        "kind": "community",
        "rows": community_ranking(community),
        "size": RANKING_SIZE,
    }
    return render(request, "volunteering/points/ranking.html", context)


def organisation_ranking_view(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    context = {
        "unit_name": organisation.name,
        "unit_url": "",
        "kind": "organisation",
        "rows": organisation_ranking(organisation),
        "size": RANKING_SIZE,
    }
    return render(request, "volunteering/points/ranking.html", context)
