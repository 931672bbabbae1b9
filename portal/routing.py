"""Finding the page of a URL in one query instead of two per level.

Wagtail routes a URL from the site's root page down, one level at a time: the child with the
next slug (a query), then that child's specific page (another), so a community at
/communities/<county>/<community>/ cost seven queries before it rendered anything. `route_from`
reads the pages of every prefix of the path in one query (by `url_path`, under the root) and
hands the deepest one over to its own `route` with what is left of the path: one query for the
walk and one for the page itself, at any depth.

What Wagtail's walk decides stays decided the same way: only the last page must be live (a draft
section still leads to its live pages); a page whose type routes by itself
(`RoutablePageMixin`'s feeds and print views, or any other `route`) gets the rest of the path
from there, before its children are considered; each page knows its parent (`get_parent()`
costs no query). When the rows do not make one chain from the root (an inconsistent tree), the
walk is Wagtail's own."""

from django.http import Http404
from wagtail.models import Page


def route_from(root: Page, request, path_components: list[str]):
    """The RouteResult of `path_components` under `root` (the site's root page), or Http404."""
    if not path_components:
        return Page.route(root, request, path_components)
    chain = _chain(root, path_components)
    if chain is None:
        return Page.route(root, request, path_components)
    parent, walked = root, 0
    for page in chain:
        page._cached_parent_obj = parent
        parent, walked = page, walked + 1
        if walked < len(path_components) and _routes_itself(page):
            break
    if walked == 0:
        raise Http404
    return parent.specific.route(request, path_components[walked:])


def _chain(root: Page, path_components: list[str]) -> list[Page] | None:
    """The pages of the path's prefixes, root's child first, stopping at the first prefix that
    is no page; None when the rows are not one chain of parent and child."""
    prefixes = [
        root.url_path + "".join(f"{slug}/" for slug in path_components[: n + 1])
        for n in range(len(path_components))
    ]
    rows = (
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path)
        .exclude(pk=root.pk)
        .order_by("depth")
    )
    by_url = {}
    for page in rows:
        if page.url_path in by_url:
            return None  # two pages claim one address: let Wagtail's walk decide
        by_url[page.url_path] = page
    chain, parent = [], root
    for n, prefix in enumerate(prefixes):
        page = by_url.get(prefix)
        if page is None:
            break
        if page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
            return None
        if page.slug != path_components[n]:
            return None
        chain.append(page)
        parent = page
    return chain


def _routes_itself(page: Page) -> bool:
    """Whether the page's type has a `route` of its own (it may answer paths below it that are
    not children). The type comes from the content type cache: no query."""
    model = page.specific_class
    return model is not None and model.route is not Page.route
