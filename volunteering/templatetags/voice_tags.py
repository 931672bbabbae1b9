"""Template tags of residents' voice: the public form, for the community page."""

from django import template

from volunteering.voice.forms import FeedbackForm

register = template.Library()


@register.simple_tag
def feedback_form() -> FeedbackForm:
    """An empty form (its choices are fixed: no query)."""
    return FeedbackForm()
