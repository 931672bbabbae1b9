"""Charts drawn on the server as inline SVG: no script, nothing fetched from elsewhere, readable
by screen readers through its title and description (the numbers are also in a table next to it).
"""

from dataclasses import dataclass
from math import log10

from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

WIDTH, HEIGHT = 600, 340
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 76  # room for the axis labels and the legend
COLOURS = ("#b71c1c", "#0b57d0", "#2e7d32", "#8e6c00")
DASHES = ("", "6 4", "2 3", "10 3 2 3")  # told apart without colour too


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ not below `value` (at least 1): the top of the y axis."""
    if value <= 1:
        return 1
    power = 10 ** int(log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def line_chart(*, title: str, description: str, labels: list[str], series: list[Series]):
    """A line chart of `series` over `labels` (the x axis), as a safe SVG string."""
    top = nice_ceiling(max((v for s in series for v in s.values), default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(labels) - 1, 1)

    def x(i):
        return LEFT + i * step

    def y(v):
        return TOP + inner_h - v / top * inner_h

    parts = [_grid(top, y), _x_labels(labels, x)]
    for index, one in enumerate(series):
        parts.append(_line(one, index, x, y))
    rows = _legend_rows(series)
    parts.append(_legend(series, rows))
    body = "".join(str(p) for p in parts)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d"'
        ' xmlns="http://www.w3.org/2000/svg" font-size="{font}" font-family="sans-serif">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=WIDTH,
        font=FONT_SIZE,
        h=HEIGHT + (rows - 1) * LEGEND_ROW,
        id="trend",
        title=title,
        desc=description,
        body=mark_safe(body),  # built from escaped labels and numbers below
    )


def _grid(top: int, y) -> SafeString:
    # Whole numbers on the axis: as many ticks as the top for small tops, else fifths or quarters.
    ticks = top if top <= 5 else 5 if top % 5 == 0 else 4
    lines = []
    for i in range(ticks + 1):
        value = top * i / ticks
        shown = f"{value:g}" if value == int(value) else f"{value:.1f}"
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"'
            ' stroke="#d8dee4"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#57606a">'
            f"{shown}</text>"
        )
    return mark_safe("".join(lines))


def _x_labels(labels: list[str], x) -> SafeString:
    baseline = HEIGHT - BOTTOM + 24
    return mark_safe(
        "".join(
            f'<text x="{x(i):.1f}" y="{baseline}" text-anchor="middle" fill="#57606a">'
            f"{escape(label)}</text>"
            for i, label in enumerate(labels)
        )
    )


def _line(series: Series, index: int, x, y) -> SafeString:
    colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series.values))
    dots = "".join(
        f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
        for i, v in enumerate(series.values)
    )
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return mark_safe(
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"'
        f"{dash_attr}/>{dots}"
    )


LEGEND_ROW = 26  # the height of each further row of the legend
FONT_SIZE = 17


def _text_width(text: str) -> float:
    """Roughly how wide `text` is drawn: a Han character an em, anything else about half."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.56 for c in text) * FONT_SIZE


def _legend_rows(series: list[Series]) -> int:
    """One row while every label fits its share of the width (Chinese), else one row each
    (English labels are longer and would run into each other)."""
    share = (WIDTH - LEFT) / max(len(series), 1)
    fits = all(_text_width(one.label) + 30 <= share - 8 for one in series)
    return 1 if fits else len(series)


def _legend(series: list[Series], rows: int = 1) -> SafeString:
    width = (WIDTH - LEFT) / max(len(series), 1) if rows == 1 else 0
    items = []
    for index, one in enumerate(series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        x0 = LEFT + index * width
        y = HEIGHT - 10 + (index if rows > 1 else 0) * LEGEND_ROW
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            f'<line x1="{x0:.1f}" x2="{x0 + 24:.1f}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}"'
            f' stroke-width="2.5"{dash_attr}/>'
            f'<text x="{x0 + 30:.1f}" y="{y}" fill="#1f2328">{escape(one.label)}</text>'
        )
    return mark_safe("".join(items))


def month_label(month) -> str:
    """The x axis says "3月" (in English "Mar"): the format is translated, the table beside the
    chart gives the year."""
    return format_date(month, pgettext("date format: a month on a chart's axis", "n月"))
