"""Heading order as axe's `heading-order` rule sees it: each heading at most one level deeper
than the one before it (going back up any number of levels is fine)."""

from html.parser import HTMLParser


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def assert_no_skipped_heading_levels(html: str) -> None:
    levels = heading_levels(html)
    assert levels and levels[0] == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"h{before} followed by h{after}: {levels}"
