"""Tap-to-call: phone numbers in text the public reads become `tel:` links.

`link_phones` finds mainland numbers as people type them — mobiles (139 0874 1003,
13908741001, 139-0874-1003), landlines with their area code (0874-3112345, (0874) 3112345),
and either with +86 — and links each to its digits. Anything else (dates, receipt codes, short
hotlines) stays text. Used by the `tel_links`, `tel_href` and `phones_unbroken` template filters
(portal_tags)."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_SEP = r"[ \-－]?"  # a space, a hyphen or a full-width hyphen, as typed
PHONE_IN_TEXT = re.compile(
    r"(?<![\d+])"
    rf"(?:\+86{_SEP})?"
    rf"(?:1[3-9]\d(?:{_SEP}\d{{4}}){{2}}"  # a mobile: 11 digits, grouped 3-4-4 or not
    rf"|[(（]0\d{{2,3}}[)）]{_SEP}\d{{7,8}}"  # (0874) 3112345, （0874）3112345
    rf"|0\d{{2,3}}{_SEP}\d{{7,8}})"  # 0874-3112345
    r"(?![\d\-－])"
)


def tel_href(number: str) -> str:
    """`tel:` and the number's digits (a leading + kept), or "" when there are none."""
    digits = re.sub(r"[^\d+]", "", number or "")
    return f"tel:{digits}" if re.search(r"\d", digits) else ""


def link_phones(text: str) -> SafeString:
    """`text`, escaped, with every phone number in it a `tel:` link."""
    return _mark_phones(
        text, lambda number: format_html('<a href="{}">{}</a>', tel_href(number), number)
    )


def keep_phones_whole(text: str) -> SafeString:
    """`text`, escaped, with every phone number in a `<span class="phone">` that a stylesheet
    keeps on one line (a printed card must not break 0874-3120101 at its hyphen)."""
    return _mark_phones(text, lambda number: format_html('<span class="phone">{}</span>', number))


def _mark_phones(text: str, mark) -> SafeString:
    text = str(text or "")
    parts, last = [], 0
    for match in PHONE_IN_TEXT.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(mark(match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
