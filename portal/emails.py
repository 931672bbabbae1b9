"""An email made from a pair of templates: the subject (folded to one line, as mail headers
want it) and the body, rendered in one language: the site's unless another is asked for (the
recipient reads it later, outside the request that caused it)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_email(
    subject_template: str, body_template: str, context: dict, *, language: str | None = None
) -> tuple[str, str]:
    """(subject, body) of the email, in `language` (default: settings.LANGUAGE_CODE)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return subject, body
