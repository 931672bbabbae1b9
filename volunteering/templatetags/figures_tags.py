"""`{% live_figures %}`: the cached live figures of the city or a community, for pages that
show them beside their own content (the home page, each community page)."""

from django import template

from volunteering.figures.selectors import figure_items, figures

register = template.Library()


@register.simple_tag
def live_figures(community=None, county=None) -> list:
    """The figure items of `community`, else of `county`, else of the city."""
    result = figures(community=community, county=None if community else county)
    return figure_items(result, with_communities=community is None)
