"""What communities shows on the home page, answering portal's `home_page_sections` hook
(portal.sections): the featured brand projects (服务品牌) and the communities by county
(社区导航: each county with its number of communities, linking on to the county page, so
the home page stays the same size however many communities the city has). Registered in
volunteering/wagtail_hooks.py."""

from portal.page_paths import first_page_of_type
from portal.sections import Section
from volunteering.communities.models import CommunityIndexPage
from volunteering.communities.selectors import brand_projects, counties_with_community_counts

HOME_BRANDS = 4
HOME_BRANDS_ORDER = 30  # after the figures and the latest news
HOME_COMMUNITIES_ORDER = 40


def home_page_sections(home, request) -> list[Section]:
    community_index = first_page_of_type(CommunityIndexPage, root=home)
    counties = counties_with_community_counts(root=community_index) if community_index else []
    return [
        Section(
            "volunteering/communities/includes/home_brands.html",
            {"featured_brands": list(brand_projects(featured_only=True)[:HOME_BRANDS])},
            order=HOME_BRANDS_ORDER,
        ),
        Section(
            "volunteering/communities/includes/home_communities.html",
            {"community_index": community_index, "counties": counties},
            order=HOME_COMMUNITIES_ORDER,
        ),
    ]
