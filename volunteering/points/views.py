"""Points on the public site: the member's own ledger (/my/points/), and the rankings of a
community and of an organisation (members who opted out are left out; names are masked)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Organisation
from volunteering.people.selectors import member_for_request
from volunteering.points.selectors import (
    RANKING_SIZE,
    community_ranking,
    member_points,
    organisation_ranking,
    ranking_units,
)

ENTRIES_PER_PAGE = 20


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
    """积分排行: every organisation's and community's public ranking, linked from the
    statistics page (they were reachable only by address)."""
    return render(request, "volunteering/points/rankings_index.html", {"units": ranking_units()})


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
