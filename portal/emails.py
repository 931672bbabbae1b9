"""An email made from a pair of templates: the subject (folded to one line, as mail headers
want it) and the body, rendered in one language: the site's unless another is asked for (the
recipient reads it later, outside the request that caused it). Both are plain text, rendered by
the template engine that does not escape HTML (`render_text`)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_text(template: str, context: dict) -> str:
    """A plain-text template (an email, a text message) rendered without HTML escaping: what
    people typed (a name with quotes or angle brackets) reads as typed. Never for HTML."""
    return render_to_string(template, context, using="text")


def render_email(
    subject_template: str, body_template: str, context: dict, *, language: str | None = None
) -> tuple[str, str]:
    """(subject, body) of the email, in `language` (default: settings.LANGUAGE_CODE)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(subject_template, context).split())
        body = render_text(body_template, context)
    return subject, body
