"""Form helpers about communities, for every capability's forms."""

from volunteering.communities.models import CommunityPage, CountyPage


def communities_by_county() -> list[tuple[str, list[tuple[int, str]]]]:
    """Live communities grouped under their counties, for a <select> (two queries)."""
    counties = {c.path: c.title for c in CountyPage.objects.live().order_by("path")}
    groups: dict[str, list[tuple[int, str]]] = {}
    for community in CommunityPage.objects.live().order_by("path"):
        county = counties.get(community.path[: -CommunityPage.steplen], "")
        groups.setdefault(county, []).append((community.pk, community.title))
    return list(groups.items())
