"""A `next` that is neither a path on this site nor a web address is dropped at the door.

Wagtail's admin views go back to a posted or queried `next` after their action, when
`url_has_allowed_host_and_scheme` accepts it, which it does for any relative text; Django's
`redirect` then tries to reverse text without a slash or a dot as a URL name, and raises. So
unpublishing, unscheduling, locking, a review's approval… with a `next` of `-1` or
`99999999999999999999` did what was asked and then answered 500
(tests/portal/test_page_actions_fuzz.py, as the portal's own views did before `safe_next`).
No page of the portal writes such a `next`; dropped, the view goes back where it goes without
one."""

import re

from django.http import HttpRequest, QueryDict

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
KEPT = re.compile(r"^(?:/(?![/\\])|https?://)", re.IGNORECASE)


def usable_next(value: str) -> bool:
    """A path on this site (`/…`, not `//host`) or a web address (whose host the view checks)."""
    return KEPT.match(value) is not None


def _without_unusable_next(data: QueryDict) -> QueryDict | None:
    values = data.getlist("next")
    if all(usable_next(value) for value in values):
        return None
    kept = data.copy()
    kept.setlist("next", [value for value in values if usable_next(value)])
    if not kept.getlist("next"):
        del kept["next"]
    return kept


class UnusableNextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "next" in request.GET and (query := _without_unusable_next(request.GET)) is not None:
            request.GET = query
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and "next" in request.POST
            and (form := _without_unusable_next(request.POST)) is not None
        ):
            request.POST = form
        return self.get_response(request)
