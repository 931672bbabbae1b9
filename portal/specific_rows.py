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
from wagtail.fields import StreamField
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


def with_specific_rows(pages: QuerySet, *, defer_streamfields: bool = False) -> QuerySet:
    """`pages` (base `Page` rows) joined to every page type's table; without the types'
    StreamFields if `defer_streamfields` (a listing that shows none, like Wagtail's)."""
    paths = _paths()
    pages = pages.select_related(*("__".join(path) for path in paths.values()))
    if defer_streamfields:
        streamfields = [
            "__".join((*path, field.name))
            for model, path in paths.items()
            for field in model._meta.local_fields
            if isinstance(field, StreamField)
        ]
        pages = pages.defer(*streamfields) if streamfields else pages
    return pages


def specific_page(page: Page) -> Page:
    """`page` as its own type, from the rows `with_specific_rows` joined (a query only if they
    were not joined), with what the queryset added to the base row: its annotations and
    prefetched objects."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    specific = page
    for name in _paths()[model]:
        specific = getattr(specific, name)
    for key, value in page.__dict__.items():
        specific.__dict__.setdefault(key, value)
    return specific
