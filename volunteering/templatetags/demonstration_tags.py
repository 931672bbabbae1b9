"""The demonstration-community badge (示范点) on a community page, from the cached list of this
year's demonstration communities (no query once read)."""

from django import template

from volunteering.assessment.selectors import is_demonstration

register = template.Library()


@register.inclusion_tag("volunteering/assessment/includes/demonstration_badge.html")
def demonstration_badge(community):
    return {"is_demonstration": is_demonstration(community), "community": community}
