"""Extension points for pages: a page shows sections that other apps add through a Wagtail hook,
without importing them. The page collects the sections in `get_context` and renders them with
`{% render_section %}` (portal_tags).

An app answers a hook with a function of the page and the request that returns zero or more
`Section`s (one, a list, or None), registered in its `wagtail_hooks.py`:

    @hooks.register("community_page_sections")
    def community_news(community, request):
        return Section("news/includes/community_news.html", {"news": ...}, order=100)

The hooks in use:
- `home_page_sections` (HOME_PAGE_SECTIONS, here): `fn(home, request)`, the home page below its
  introduction; answered by news (latest news) and volunteering (residents' voice links,
  figures, brand projects, communities).
- `community_page_sections` (volunteering.communities.selectors.COMMUNITY_PAGE_SECTIONS):
  `fn(community, request)`, at the foot of a community page; answered by news (the community's
  news and its channels).

Looking the hooks up costs no query; a section's queries run in the answering function, so the
page's query count stays what the answers cost."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from wagtail import hooks

HOME_PAGE_SECTIONS = "home_page_sections"


@dataclass
class Section:
    """A template and its context, rendered in the page's context (so `request` and `page` are
    there too). Sections show in ascending `order`; equal orders keep the hooks' order."""

    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


def collect_sections(hook_name: str, *args) -> list[Section]:
    """Every section the functions registered for `hook_name` return for `args`, in order. A
    function registered twice answers once."""
    sections: list[Section] = []
    for answer in dict.fromkeys(hooks.get_hooks(hook_name)):
        result = answer(*args)
        if isinstance(result, Section):
            sections.append(result)
        elif result is not None:
            sections.extend(_sections(result))
    return sorted(sections, key=lambda section: section.order)


def _sections(result: Iterable) -> list[Section]:
    sections = list(result)
    for section in sections:
        if not isinstance(section, Section):
            raise TypeError(f"a page-section hook returned {section!r}, not a Section")
    return sections
