"""Language selection: Simplified Chinese unless the visitor chose otherwise; CSV downloads
that spreadsheets open as UTF-8; the Permissions-Policy and Content-Security-Policy headers."""

import codecs

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Activate the language saved by the language switcher (its cookie), else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a resident whose
    phone is set to English would get an English portal they never asked for; the portal is
    Chinese first and English is a choice made with the switcher."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class CsvByteOrderMarkMiddleware:
    """Every CSV response starts with a UTF-8 byte-order mark and says charset=utf-8.

    Excel on Chinese Windows reads a CSV without a BOM in the local code page (GBK) and shows
    garbage for every Chinese cell. The exports come from several places (the volunteering
    admin lists, Wagtail's own reports, the site history): marking them here, by content type,
    covers each of them, and any added later, in one place. XLSX and every other response
    pass unchanged."""

    BOM = codecs.BOM_UTF8

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "text/csv":
            return response
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        if response.streaming:
            response.streaming_content = self._marked(response.streaming_content)
        elif not response.content.startswith(self.BOM):
            response.content = self.BOM + response.content
        return response

    def _marked(self, chunks):
        first = True
        for chunk in chunks:
            if isinstance(chunk, str):
                chunk = chunk.encode()
            if first and chunk:
                first = False
                if not chunk.startswith(self.BOM):
                    yield self.BOM
            yield chunk


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header from `settings.PERMISSIONS_POLICY`, a feature → allowed
    origins mapping ("self" for the portal itself; an empty list: no page, no frame): e.g.
    `camera=(), geolocation=()`. A response that sets its own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_origin(o) for o in origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _origin(origin: str) -> str:
    return origin if origin in ("self", "*") else f'"{origin}"'


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY), with the admin's allowances:
    under `CSP_ADMIN_PATH_PREFIXES` the directives in `CSP_ADMIN_DIRECTIVES` replace the
    policy's own (inline scripts and styles, which the Wagtail admin still needs), unless a view
    chose its own replacement (django-csp's @csp_replace)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ()))
        if prefixes and parts.replace is None and request.path_info.startswith(prefixes):
            parts.replace = dict(settings.CSP_ADMIN_DIRECTIVES)
        return parts
