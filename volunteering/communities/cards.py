"""How a brand card's words fit its 85.6 × 54 mm front.

Each part takes the largest type that fits and is clamped to the lines left for it, so the
card never overflows and a phone number is shrunk rather than cut. The widths are estimates
(CJK characters 1 em, others about half); cards-print.css draws with the same sizes, and
`overflow: hidden` there catches what the estimate misses.
"""

import unicodedata
from dataclasses import dataclass

# Millimetres, from cards-print.css: the card less its padding and its coloured top edge, the
# QR column beside the text.
INNER_HEIGHT = 54 - 2 * 3 - 1.6
FULL_WIDTH = 85.6 - 2 * 3.5
TEXT_WIDTH = FULL_WIDTH - 19 - 2.5
HEAD_HEIGHT = 2.5 * 1.3 + 1  # kind and brand name, one line, and its margin
FOOT_FIXED = 2.4 * 1.3 + 1  # the community line and the margin above the foot
TITLE_MARGIN = 1
FILL = 0.94  # CJK line breaking rules leave lines a little short
LATIN_EM = 0.6  # digits and Latin letters, bold, are a little over half a CJK character

# Type for elderly readers: body text and contact never under 9 pt (3.18 mm), the smallest line
# (the kind, the community, 扫码了解更多) never under 6.5 pt (2.3 mm). A text too long for that
# is clamped with an ellipsis rather than shrunk further: the card points to the page by its QR.
PT = 25.4 / 72  # mm
SMALLEST_BODY_PT = 9
SMALLEST_LINE_PT = 6.5

# (name, font size in mm, line height, most lines); the CSS has a rule for each name.
TITLE_SIZES = (("normal", 4.0, 1.25, 1), ("small", 3.5, 1.25, 2))
TEXT_SIZES = (("normal", 3.5, 1.35, None), ("small", 3.2, 1.3, None))
CONTACT_SIZES = (("normal", 3.5, 1.25, 2), ("small", 3.2, 1.25, 3))


@dataclass(frozen=True)
class Fit:
    size: str
    lines: int  # lines shown; more are clamped with an ellipsis
    height: float  # mm


@dataclass(frozen=True)
class CardLayout:
    title: Fit
    text: Fit
    contact: Fit | None


def _tokens(text: str):
    """Widths (in em) of what a line can break between: each CJK character, each run of
    spaces, and each run of other characters (a phone number or a Latin word)."""
    word = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF" or char.isspace():
            if word:
                yield word
                word = 0.0
            yield 1.0 if not char.isspace() else LATIN_EM
        else:
            word += LATIN_EM
    if word:
        yield word


def lines_needed(text: str, font: float, width: float) -> int:
    """Lines `text` takes in a column `width` mm wide at `font` mm, filling lines greedily."""
    per_line = width * FILL / font
    total = 0
    for paragraph in text.splitlines() or [""]:
        lines, used = 1, 0.0
        for token in _tokens(paragraph):
            if used and used + token > per_line:
                lines, used = lines + 1, 0.0
            while token > per_line:  # a word longer than a line is broken (overflow-wrap)
                lines, token = lines + 1, token - per_line
            used += token
        total += lines
    return total


def _fit(text: str, sizes, width: float, budget: float | None = None) -> Fit:
    """The first size whose lines fit (its own limit, and the `budget` height), else the last
    size clamped to what fits."""
    for index, (name, font, line_height, most) in enumerate(sizes):
        limit = most if budget is None else max(1, int(budget // (font * line_height)))
        needed = lines_needed(text, font, width)
        if needed <= limit or index == len(sizes) - 1:
            lines = min(needed, limit)
            return Fit(name, lines, lines * font * line_height)
    raise AssertionError("unreachable")


def card_layout(*, title: str, text: str, contact: str) -> CardLayout:
    title_fit = _fit(title, TITLE_SIZES, FULL_WIDTH)
    contact_fit = _fit(contact, CONTACT_SIZES, TEXT_WIDTH) if contact else None
    budget = (
        INNER_HEIGHT
        - HEAD_HEIGHT
        - title_fit.height
        - TITLE_MARGIN
        - FOOT_FIXED
        - (contact_fit.height if contact_fit else 0)
    )
    return CardLayout(title_fit, _fit(text, TEXT_SIZES, TEXT_WIDTH, budget), contact_fit)
