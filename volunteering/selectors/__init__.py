"""Reads of the volunteering app, one module per area; the page selectors are re-exported here
because pages and the home page import them from `volunteering.selectors`."""

from volunteering.selectors.pages import (
    brand_projects,
    communities_for_listing,
    community_page_context,
    counties_with_communities,
)

__all__ = [
    "brand_projects",
    "communities_for_listing",
    "community_page_context",
    "counties_with_communities",
]
