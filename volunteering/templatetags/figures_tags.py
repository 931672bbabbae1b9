"""`{% live_figures %}`: the cached live figures of the city or a community, for pages that
show them beside their own content (the home page, each community page)."""

from django import template

from volunteering.selectors.figures import figure_items, figures

register = template.Library()


@register.simple_tag
def live_figures(community=None) -> list:
    """The figure items of `community`, or of the city when none is given."""
    result = figures(community=community)
    return figure_items(result, with_communities=community is None)
