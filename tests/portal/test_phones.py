"""Tap-to-call links: which numbers in public text become `tel:` links, and what stays text."""

import pytest
from django.template import Context, Template

from portal.phones import keep_phones_whole, link_phones, tel_href


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("13908741001", '<a href="tel:13908741001">13908741001</a>'),
        ("139 0874 1003", '<a href="tel:13908741003">139 0874 1003</a>'),
        ("139-0874-1003", '<a href="tel:13908741003">139-0874-1003</a>'),
        ("+86 139 0874 1003", '<a href="tel:+8613908741003">+86 139 0874 1003</a>'),
        ("0874-3112345", '<a href="tel:08743112345">0874-3112345</a>'),
        ("0874－3112345", '<a href="tel:08743112345">0874－3112345</a>'),
        ("(0874) 3112345", '<a href="tel:08743112345">(0874) 3112345</a>'),
        ("（0874）3112345", '<a href="tel:08743112345">（0874）3112345</a>'),
    ],
)
def test_mobile_and_landline_numbers_as_people_type_them_become_tel_links(text, linked):
    assert link_phones(f"电话：{text}。") == f"电话：{linked}。"


@pytest.mark.parametrize(
    "text",
    ["2026-12-07", "回执码 A1B2-C3D4", "12345 热线", "20240115123", "1390874100", "第 0874 号"],
)
def test_dates_codes_hotlines_and_partial_numbers_stay_text(text):
    assert link_phones(text) == text


def test_the_text_around_numbers_is_escaped():
    assert link_phones("<b>13908741001</b>") == (
        '&lt;b&gt;<a href="tel:13908741001">13908741001</a>&lt;/b&gt;'
    )


def test_the_filters_link_text_and_keep_line_breaks():
    html = Template("{% load portal_tags %}{{ text|tel_links|linebreaksbr }}").render(
        Context({"text": "张姐\n13908741001 <小区>"})
    )
    assert html == '张姐<br><a href="tel:13908741001">13908741001</a> &lt;小区&gt;'
    assert tel_href("0874 311 2345") == "tel:08743112345"
    assert tel_href("无") == ""


def test_printed_numbers_are_kept_whole_not_linked():
    assert keep_phones_whole("服务窗口 0874-3120101（工作日）<b>") == (
        '服务窗口 <span class="phone">0874-3120101</span>（工作日）&lt;b&gt;'
    )
