"""What the home page gathers from the other apps, through their selectors."""

from news.selectors import latest_news
from volunteering.selectors import brand_projects, counties_with_communities


def home_page_context(*, home) -> dict:
    from volunteering.models import CommunityIndexPage

    community_index = CommunityIndexPage.objects.live().public().descendant_of(home).first()
    return {
        "latest_news": latest_news(root=home, limit=8),
        "featured_brands": list(brand_projects(featured_only=True)[:4]),
        "community_index": community_index,
        "counties": counties_with_communities(root=community_index) if community_index else [],
    }
