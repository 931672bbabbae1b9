"""Characters no field, filter or address of the portal may carry: refused at the door.

PostgreSQL cannot store NUL in text (the driver raises, and the request would end in a 500), and a
lone surrogate (half of a UTF-16 pair, which JSON's ``\\ud800`` escapes can produce) cannot be
encoded at all. The other C0 control characters (but tab, line feed and carriage return) have no
place in anything a person types, and hide text in what staff read. So every request's path,
query string, form fields and JSON body are checked here, once, before
any view, form or service sees them: the request is refused with a 400 that says why, in the
visitor's language — JSON with a 422 under /api/, a page elsewhere — and nothing is written.

Zero-width characters and bidirectional overrides are left to the fields that care: they are
valid text, and names in several scripts use them.

An id in an address (`<int:pk>`, Django's and Wagtail's URL patterns alike) beyond what a
64-bit column holds is a 404 here too: SQLite raises `OverflowError` on such a number and
PostgreSQL an out-of-range error, either a 500 in whichever view read it first."""

import json
import re
from collections.abc import Iterable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

# C0 controls but \t \n \r; DEL; UTF-16 surrogates (never valid alone in a Python str of text).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
REFUSED = _("提交的内容含有不允许的控制字符（例如 NUL），请删除后重试。")
JSON_TYPES = ("application/json",)
LARGEST_ID = 2**63 - 1  # a signed 64-bit integer: PostgreSQL's bigint, SQLite's INTEGER
NOT_FOUND = _("页面不存在")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def _strings(value) -> Iterable[str]:
    """Every string in a decoded JSON document: keys and values, at any depth."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json_strings(request: HttpRequest) -> Iterable[str]:
    if request.content_type not in JSON_TYPES or not request.body:
        return ()
    if b"\\u" not in request.body and b"\x7f" not in request.body:
        # Without a \u escape the strings are the raw text, where JSON itself refuses control
        # characters and UTF-8 cannot carry a lone surrogate: only DEL could pass. Not decoding
        # spares the API's every write a second parse of its body.
        return ()
    try:
        document = json.loads(request.body)
    except ValueError:
        return ()  # not JSON: the API answers that itself (422)
    return _strings(document)


def _form_strings(request: HttpRequest) -> Iterable[str]:
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return ()
    try:
        form = request.POST
    except MultiPartParserError:
        return ()  # a body that is not the form it claims: the view answers that itself
    # Uploaded files' names need no check: Django's multipart parser sanitises them.
    return [text for key, values in form.lists() for text in (key, *values)]


def _query_strings(request: HttpRequest) -> Iterable[str]:
    return [text for key, values in request.GET.lists() for text in (key, *values)]


def request_is_clean(request: HttpRequest) -> bool:
    if has_forbidden(request.path_info):
        return False
    for source in (_query_strings, _form_strings, _json_strings):
        if any(has_forbidden(text) for text in source(request)):
            return False
    return True


def refusal(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # 422 like every other invalid API body, so one documented status covers it.
        return JsonResponse({"detail": str(REFUSED)}, status=422)
    return render(request, "400.html", {"message": REFUSED}, status=400)


class ControlCharacterMiddleware:
    """Refuse a request carrying NUL, another control character or a lone surrogate (above).
    Placed after the language is chosen (the answer is in the visitor's language) and before
    CSRF and the views (nothing reads the input before it is checked)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_is_clean(request):
            return refusal(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """No object has an id no column can hold: such an address names nothing."""
        for value in (*view_args, *view_kwargs.values()):
            # (The API's paths carry strings its own validation reads: a 422 in JSON.)
            if isinstance(value, int) and not LARGEST_ID >= value >= -LARGEST_ID - 1:
                raise Http404(NOT_FOUND)
        return None
