"""Pages of every type read in one query.

Wagtail's `.specific()` reads a list of pages in one query, then one more query for each page
type among them: a search's page of results cost 7 queries in the demo and 4 at city scale
(issue 11), depending on what was found. `with_specific_rows(pages)` joins every page type's
table to the page rows instead (a left join on the primary key for each type, ten in the
portal), and `specific_page(page)` returns the page as its own type from what the join read: no
query, whatever the types found.

For short lists of pages whose own fields are needed (a page of search results). A list that
needs only the page rows (the sitemap) should not pay for the joins.
"""

from functools import cache

from django.db.models import QuerySet
from wagtail.models import Page, get_page_models


@cache
def _paths() -> dict[type, tuple[str, ...]]:
    """For each page type, the reverse one-to-one names leading from `Page` down to its table
    (`("newspage",)`; a type inheriting another: both names)."""
    paths = {}
    for model in get_page_models():
        names = []
        current = model
        while current is not Page:
            parent, link = next(iter(current._meta.parents.items()))
            names.append(link.remote_field.get_accessor_name())
            current = parent
        if names:
            paths[model] = tuple(reversed(names))
    return paths


def with_specific_rows(pages: QuerySet) -> QuerySet:
    """`pages` (base `Page` rows) joined to every page type's table."""
    return pages.select_related(*("__".join(path) for path in _paths().values()))


def specific_page(page: Page) -> Page:
    """`page` as its own type, from the rows `with_specific_rows` joined (a query only if they
    were not joined)."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    specific = page
    for name in _paths()[model]:
        specific = getattr(specific, name)
    return specific
