"""Ranges of the page tree's paths, which the path index reads.

`path__startswith` (`LIKE 'path%'`) is not read from the path's index by SQLite: at city scale
a community's sign-ups were found by walking every sign-up of the city in the list's order (49
ms for a page of 30 and 23 ms for its count, against 0.04 ms and 0.01 ms through a range), and a
community's news by walking every news item of the city by date."""

from wagtail.models import Page

# The longest tree path (Page.path's max_length): a descendant's path is at most this long.
_MAX_PATH = 255


def descendant_paths(path: str) -> tuple[str, str]:
    """The range of the tree paths below `path` (its descendants, not itself), for a
    `path__range` lookup: every descendant's path starts with `path` and goes on with the
    tree's alphabet (treebeard's `get_children` takes its children's range the same way)."""
    alphabet = Page.alphabet
    return path + alphabet[0] * Page.steplen, path.ljust(_MAX_PATH, alphabet[-1])
