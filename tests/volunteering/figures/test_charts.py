"""The trend chart in the reader's language: months on the axis as they are written (3月, Mar),
and a legend whose longer English words get a row each instead of running into each other."""

import datetime
import re

from django.utils import translation

from volunteering.figures.charts import Series, line_chart, month_label


def test_the_axis_writes_months_in_the_readers_language():
    march = datetime.date(2026, 3, 1)
    with translation.override("zh-hans"):
        assert month_label(march) == "3月"
    with translation.override("en"):
        assert month_label(march) == "Mar"
        assert month_label(datetime.date(2026, 12, 1)) == "Dec"


def _chart(*labels: str) -> str:
    return str(
        line_chart(
            title="t",
            description="d",
            labels=["1", "2"],
            series=[Series(label, [1, 2]) for label in labels],
        )
    )


def _legend_ys(svg: str) -> set[str]:
    return set(re.findall(r'<text x="[\d.]+" y="(\d+)" fill="#1f2328">', svg))


def test_a_legend_that_would_overlap_gets_a_row_per_series():
    chinese = _chart("报到在职党员", "开展服务活动", "听取意见建议")
    assert 'viewBox="0 0 600 340"' in chinese
    assert len(_legend_ys(chinese)) == 1
    english = _chart("Members reported", "Service activities held", "Suggestions heard")
    assert 'viewBox="0 0 600 392"' in english
    assert len(_legend_ys(english)) == 3
