"""Activities shown on other pages: a community page's upcoming activities."""

from django import template

from volunteering.activities.selectors import activity_index_page, community_upcoming_activities
from volunteering.scopes import member_of

register = template.Library()


@register.simple_tag(takes_context=True)
def community_activities(context, community):
    """{activities, index_page} for a community page, in a fixed number of queries, each
    activity with the signed-in member's own state (`own_state`)."""
    request = context.get("request")
    member = member_of(request.user) if request is not None else None
    return {
        "activities": community_upcoming_activities(community=community, member=member),
        "index_page": activity_index_page(),
    }
