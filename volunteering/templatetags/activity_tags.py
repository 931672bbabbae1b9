"""Activities shown on other pages: a community page's upcoming activities."""

from django import template

from volunteering.activities.models import ActivityIndexPage
from volunteering.activities.selectors import community_upcoming_activities

register = template.Library()


@register.simple_tag
def community_activities(community):
    """{activities, index_page} for a community page, in a fixed number of queries."""
    return {
        "activities": community_upcoming_activities(community=community),
        "index_page": ActivityIndexPage.objects.live().first(),
    }
