"""Reads about counties, communities and brand projects, shared by pages, API and exports."""

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from portal.page_paths import descendant_paths
from portal.page_tree_cache import tree_cached
from portal.sections import collect_sections
from volunteering.communities.models import BrandProjectPage, CommunityPage, CountyPage

# The extension point of a community page (portal.sections): what other apps show on it, for
# example news (社区动态). Each function registered for it takes (community, request).
COMMUNITY_PAGE_SECTIONS = "community_page_sections"


def counties_with_communities(*, root) -> list[CountyPage]:
    """Live counties under `root`, each with its live communities in `.live_communities`.
    Two queries whatever the number of counties."""
    counties = list(CountyPage.objects.live().public().child_of(root).order_by("path"))
    communities = CommunityPage.objects.live().public().descendant_of(root).order_by("path")
    by_parent: dict[str, list[CommunityPage]] = {}
    for community in communities:
        by_parent.setdefault(community.path[: -CommunityPage.steplen], []).append(community)
    for county in counties:
        county.live_communities = by_parent.get(county.path, [])
    return counties


def counties_with_community_counts(*, root) -> list[CountyPage]:
    """Live counties under `root`, each with the number of its live public communities in
    `.community_count`: the county lists of the home page, the communities index and the
    residents' chooser. Kept in the shared cache until the page tree changes
    (portal.page_tree_cache), since every publish anywhere changes it."""
    return tree_cached(f"county-counts:{root.pk}", lambda: _counties_with_community_counts(root))


def _counties_with_community_counts(root) -> list[CountyPage]:
    """Two queries: the counties, and the communities two levels below `root` counted by their
    parent's path, read as one range of the path index. A count per county as a correlated
    subquery (`path LIKE county.path || '%'`) could use no index and read the page table once
    per county: 12-16 ms at city scale on SQLite, paid after every publish."""
    counties = list(CountyPage.objects.live().public().child_of(root).order_by("path"))
    parent_length = len(root.path) + CountyPage.steplen
    counts = dict(
        CommunityPage.objects.live()
        .public()
        .filter(path__range=descendant_paths(root.path), depth=root.depth + 2)
        .annotate(parent=Substr("path", 1, parent_length))
        .order_by()
        .values("parent")
        .annotate(count=Count("pk"))
        .values_list("parent", "count")
    )
    for county in counties:
        county.community_count = counts.get(county.path, 0)
    return counties


def county_communities(*, county: CountyPage) -> list[CommunityPage]:
    """The county's live public communities, for a list of links (title and address only)."""
    return list(
        CommunityPage.objects.live()
        .public()
        .child_of(county)
        .order_by("path")
        .only("title", "url_path", "path", "depth")
    )


def brand_projects(*, featured_only: bool = False) -> QuerySet[BrandProjectPage]:
    """Live brand projects, newest first, for a list of titles and summaries (their cards are
    not loaded: no list shows them)."""
    qs = BrandProjectPage.objects.live().public()
    if featured_only:
        qs = qs.filter(featured=True)
    return qs.order_by("-first_published_at", "-pk")


def community_page_context(*, community: CommunityPage, request) -> dict:
    """What a community page shows beside its own fields: its county, duty staff, brand projects,
    and the sections other apps add (`community_page_sections`). A fixed number of queries
    whatever the number of rows."""
    return {
        "county": community.get_parent(),
        "duty_staff": list(community.duty_staff.all()),
        "brand_projects": list(
            BrandProjectPage.objects.live()
            .public()
            .child_of(community)
            .select_related("image")
            .order_by("path")
        ),
        "page_sections": collect_sections(COMMUNITY_PAGE_SECTIONS, community, request),
    }


def communities_for_listing() -> QuerySet[CommunityPage]:
    return CommunityPage.objects.live().public().order_by("path")
