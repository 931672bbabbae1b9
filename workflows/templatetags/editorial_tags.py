"""Template tags of the editorial workflow: the reviewers' approval comments."""

from django import template

from workflows.editorial import review_comments as _review_comments

register = template.Library()


@register.simple_tag
def review_comments(obj):
    """The reviewers' approval comments of `obj`'s latest finished review."""
    return _review_comments(obj)
