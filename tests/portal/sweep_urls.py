"""The URL configuration as the permission sweep sees it: every pattern of
`get_resolver()` (Wagtail's admin and its viewsets, the API's routes, the members' pages, print,
export and history views), and how to fill each one's arguments with another community's,
organisation's or member's ids (`tests/portal/sweep_table.py` says which kind each argument
is, or why a pattern is left out)."""

import io
import re
import zipfile
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_SYNTAX = re.compile(r"[()\[\]*+?|\\]")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its text as written (the resolvers' patterns joined), its name with
    namespaces, the names of its arguments, and whether any part is a regular expression."""

    key: str
    name: str
    regex: bool

    @property
    def args(self) -> tuple[str, ...]:
        return tuple(ARGUMENT.findall(self.key))  # also a regular expression's named groups

    @property
    def plain(self) -> bool:
        """Filled like a route: a route, or a regular expression of anchors only."""
        return not self.regex or not REGEX_SYNTAX.search(self.key.replace("^", "").replace("$", ""))

    def url(self, values: dict) -> str:
        path = ARGUMENT.sub(lambda m: str(values[m.group(1)]), self.key)
        return "/" + path.replace("^", "").replace("$", "")

    @property
    def is_api(self) -> bool:
        return self.key.startswith("api/")


def routes() -> list[Route]:
    """Every pattern of the URL configuration, in order, each once."""
    seen, found = set(), []
    for route in _walk(get_resolver().url_patterns, "", "", False):
        if route.key not in seen:
            seen.add(route.key)
            found.append(route)
    return found


def _walk(patterns, prefix: str, namespace: str, regex: bool):
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        is_regex = regex or isinstance(pattern.pattern, RegexPattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, text, inner, is_regex)
        elif isinstance(pattern, URLPattern):
            yield Route(text, namespace + (pattern.name or ""), is_regex)


def readable(response) -> str:
    """An answer's text: the body, or for XLSX (a zip) the XML inside it."""
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", "replace")
