"""Template tags of the editorial workflow: the reviewers' approval comments, and whether an
approval schedules the page rather than publishing it now."""

from django import template
from django.utils import timezone

from workflows.editorial import review_comments as _review_comments

register = template.Library()


@register.simple_tag
def review_comments(obj):
    """The reviewers' approval comments of `obj`'s latest finished review."""
    return _review_comments(obj)


@register.filter
def goes_live_later(obj) -> bool:
    """Is `obj` set to go live at a time still to come (its approval schedules, not publishes)?"""
    go_live_at = getattr(obj, "go_live_at", None)
    return bool(go_live_at and go_live_at > timezone.now())
