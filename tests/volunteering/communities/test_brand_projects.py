import re
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal import qr
from tests import factories
from volunteering.communities import cards
from volunteering.communities.cards import TEXT_WIDTH, card_layout, lines_needed
from volunteering.communities.models import BrandCard, BrandProjectPage

LONG_TEXT = "社区党员志愿者为辖区空巢老人、残疾人和困难家庭提供上门服务，" * 10  # 300 characters


@pytest.fixture
def brand(site_tree):
    page = factories.BrandProjectPageFactory(
        parent=site_tree.community, title="小卡片装载大服务", slug="small-cards"
    )
    factories.BrandCardFactory(page=page, kind=BrandCard.Kind.LOVE_CONTACT, title="爱心联系卡")
    factories.BrandCardFactory(
        page=page,
        kind=BrandCard.Kind.SERVICE_PROCESS,
        title="便民服务流程卡",
        text="办理居住证：带身份证到社区服务中心一楼窗口。",
        contact="0874－3112345 转 8001（工作日）",
    )
    factories.BrandCardFactory(
        page=page, kind=BrandCard.Kind.JOB_INFORMATION, title="用工信息卡", contact=""
    )
    return page


def print_url(page):
    return page.url + page.reverse_subpage("print_cards")


def get_print(client, page, **params):
    response = client.get(print_url(page), params)
    assert response.status_code == 200
    return response.content.decode()


def test_brand_page_shows_its_cards_community_and_a_link_to_print_them(client, brand):
    response = client.get(brand.url)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("爱心联系卡", "便民服务流程卡", "用工信息卡"):
        assert title in html
    assert "麒麟社区" in html
    assert f'href="{print_url(brand)}"' in html
    assert "打印服务卡片" in html


def test_phone_numbers_on_brand_cards_are_tap_to_call(client, brand):
    factories.BrandCardFactory(page=brand, title="助老热线卡", contact="联系人：李四 13908741001")
    html = client.get(brand.url).content.decode()
    assert '<a href="tel:08743112345">0874－3112345</a> 转 8001（工作日）' in html
    assert '联系人：李四 <a href="tel:13908741001">13908741001</a>' in html


def test_brand_belongs_to_its_parent_community(brand, site_tree):
    assert brand.community.pk == site_tree.community.pk
    assert BrandProjectPage.can_exist_under(site_tree.community)
    assert not BrandProjectPage.can_exist_under(site_tree.county)


def test_print_view_shows_every_card_with_its_own_inline_qr_code(client, brand):
    html = get_print(client, brand)
    for title in ("爱心联系卡", "便民服务流程卡", "用工信息卡"):
        assert title in html
    assert html.count('class="print-card print-card--') == 3
    assert html.count("<svg") == 3
    assert "<img" not in html  # the QR codes are inline SVG, not images to fetch


def test_print_card_front_has_kind_title_text_contact_brand_and_community(client, brand):
    html = get_print(client, brand)
    card = html[html.index("print-card--service_process") :]
    card = card[: card.index("</article>")]
    for text in (
        "便民服务流程卡",
        "办理居住证：带身份证到社区服务中心一楼窗口。",
        "小卡片装载大服务",
        "麒麟社区",
    ):
        assert text in card


def test_phone_numbers_on_cards_are_shown_exactly_as_entered(client, brand):
    html = get_print(client, brand)
    # As typed, and kept on one line: a printed number must not break at its hyphen.
    assert '<span class="phone">0874－3112345</span> 转 8001（工作日）' in html
    assert ".print-card .phone { white-space: nowrap; }" in print_css()
    assert "tel:" not in html
    assert '<meta name="format-detection" content="telephone=no">' in html


def test_each_qr_code_links_back_to_the_brand_pages_full_url(client, brand):
    with mock.patch("volunteering.communities.models.qr_svg", wraps=qr.qr_svg) as qr_svg:
        html = get_print(client, brand)
    qr_svg.assert_called_once()
    url = qr_svg.call_args.args[0]
    assert url == brand.full_url
    assert url.startswith("http") and url.endswith("/small-cards/")
    assert html.count(qr.qr_svg(url, title=qr_svg.call_args.kwargs["title"])) == 3


def print_css():
    with open(finders.find("portal/css/cards-print.css"), encoding="utf-8") as f:
        return f.read()


def test_print_view_uses_its_own_stylesheet_at_real_card_size(client, brand):
    html = get_print(client, brand)
    assert "portal/css/cards-print.css" in html
    assert "portal/css/portal.css" not in html
    css = print_css()
    assert "--card-width: 85.6mm" in css
    assert "--card-height: 54mm" in css
    assert "size: A4" in css
    assert re.search(r"@page\s*{[^}]*margin: \d+mm", css)
    assert "break-inside: avoid" in css
    assert "gap: 5mm 6mm" in css


def test_long_card_text_is_shrunk_and_clamped_not_allowed_to_overflow(client, brand):
    factories.BrandCardFactory(page=brand, title="长" * 40, text=LONG_TEXT, contact="")
    html = get_print(client, brand)
    layout = card_layout(title="长" * 40, text=LONG_TEXT, contact="")
    assert layout.text.size == "small" and layout.title.size == "small"
    assert lines_needed(LONG_TEXT, 3.2, TEXT_WIDTH) > layout.text.lines  # so it is clamped
    text_class = "print-card__text print-card__text--small"
    assert f'class="{text_class}" data-lines="{layout.text.lines}"' in html
    assert 'class="print-card__title print-card__title--small" data-lines="2"' in html
    css = print_css()
    assert "overflow: hidden" in re.search(r"\.print-card {([^}]*)}", css).group(1)
    clamped = re.search(r"\.print-card__text,\s*\.print-card__contact {([^}]*)}", css).group(1)
    for rule in (
        "overflow: hidden",
        "-webkit-line-clamp: var(--lines)",
        "line-clamp: var(--lines)",
        "max-height: calc(var(--font) * var(--lh) * var(--lines))",
    ):
        assert rule in clamped
    # The line counts reach the CSS through data-lines (no style attribute: the CSP)
    assert f'[data-lines="{layout.text.lines}"] {{ --lines: {layout.text.lines}; }}' in css


@pytest.mark.parametrize(
    ("part", "sizes"),
    [("title", cards.TITLE_SIZES), ("text", cards.TEXT_SIZES), ("contact", cards.CONTACT_SIZES)],
)
def test_stylesheet_draws_the_sizes_the_layout_reckons_with(part, sizes):
    css = print_css()
    for name, font, line_height, _most in sizes:
        assert f".print-card__{part}--{name} {{ --font: {font}mm; --lh: {line_height}; }}" in css


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("有困难，找党员。", "normal"),
        ("字" * 90, "normal"),
        ("字" * 100, "small"),
        ("字" * 250, "small"),  # and clamped: never under 9 pt
        (LONG_TEXT, "small"),
    ],
)
def test_card_text_shrinks_as_it_grows(text, size):
    assert BrandCard(title="卡", text=text, contact="").print_layout.text.size == size


def test_card_parts_always_fit_the_card_height():
    for title in ("卡", "长" * 60):
        for contact in ("", "0874-3112345", "联" * 120):
            for text in ("短", LONG_TEXT, "一\n" * 40):
                layout = card_layout(title=title, text=text, contact=contact)
                used = (
                    cards.HEAD_HEIGHT
                    + layout.title.height
                    + cards.TITLE_MARGIN
                    + layout.text.height
                    + cards.FOOT_FIXED
                    + (layout.contact.height if layout.contact else 0)
                )
                assert used <= cards.INNER_HEIGHT, (title, contact, text)
                assert layout.text.lines >= 1


def test_card_type_is_large_enough_for_elderly_readers():
    """Body text, title and contact at least 9 pt; every other line at least 6.5 pt."""
    body = [
        font
        for sizes in (cards.TITLE_SIZES, cards.TEXT_SIZES, cards.CONTACT_SIZES)
        for _name, font, _lh, _most in sizes
    ]
    assert min(body) >= cards.SMALLEST_BODY_PT * cards.PT
    card_css = print_css()[print_css().index("/* One card */") : print_css().index("@media")]
    drawn = [float(mm) for mm in re.findall(r"--font: ([\d.]+)mm", card_css)]
    assert drawn and min(drawn) >= cards.SMALLEST_BODY_PT * cards.PT
    lines = [float(mm) for mm in re.findall(r"font-size: ([\d.]+)mm", card_css)]
    assert lines and min(lines) >= cards.SMALLEST_LINE_PT * cards.PT
    qr = re.search(r"\.print-card__qr {([^}]*)}", card_css).group(1)
    assert float(re.search(r"font-size: ([\d.]+)mm", qr).group(1)) >= 6.5 * cards.PT


def test_on_a_phone_the_cards_stack_instead_of_scrolling_sideways():
    css = print_css()
    assert "overflow-x: auto" not in css  # no scrollable region without a focusable child
    narrow = css[css.index("@media screen and (max-width: 230mm)") :]
    narrow = narrow[: narrow.index("@media print")]
    assert "grid-template-columns: var(--card-width);" in narrow and "width: auto;" in narrow


def test_a_long_contact_is_shrunk_not_cut():
    contact = "联系人王师傅 13800000000、13900000000，或到社区居委会二楼人社服务站登记求职信息"
    fit = card_layout(title="卡", text="短", contact=contact).contact
    assert fit.size == "small"
    assert fit.lines == lines_needed(contact, 3.2, TEXT_WIDTH) <= 3
    assert card_layout(title="卡", text="短", contact="联" * 120).contact.lines == 3


def test_line_breaks_and_unbreakable_numbers_count_towards_lines():
    assert lines_needed("一\n二\n三", 2.9, TEXT_WIDTH) == 3
    per_line = int(TEXT_WIDTH * cards.FILL / 2.9)
    assert lines_needed("字" * (per_line - 3), 2.9, TEXT_WIDTH) == 1
    assert lines_needed("字" * (per_line - 3) + " 13800000000", 2.9, TEXT_WIDTH) == 2


def test_copies_repeat_each_card_and_fill_sheets_of_eight(client, brand):
    html = get_print(client, brand, copies=3)
    assert html.count("<svg") == 9
    assert html.count('<section class="sheet"') == 2
    assert '<option value="3" selected>' in html


@pytest.mark.parametrize(("copies", "expected_cards"), [("abc", 3), ("0", 3), ("999", 30)])
def test_copies_are_bounded(client, brand, copies, expected_cards):
    assert get_print(client, brand, copies=copies).count("<svg") == expected_cards


def test_print_button_needs_no_javascript_to_leave_the_page_usable(client, brand):
    html = get_print(client, brand)
    assert re.search(
        r'<button type="button" class="print-toolbar__print" data-print hidden>打印', html
    )
    assert "<noscript>" in html
    assert 'name="copies"' in html  # the copies form is a plain GET form
    assert html.count("portal/js/print-button.js") == 1  # one include, shared with the records


def test_print_view_without_cards_says_so(client, site_tree):
    page = factories.BrandProjectPageFactory(parent=site_tree.community)
    html = get_print(client, page)
    assert "这个品牌项目还没有服务卡片。" in html
    assert "<svg" not in html


def test_print_view_of_a_draft_brand_is_not_public(client, site_tree):
    draft = factories.BrandProjectPageFactory(parent=site_tree.community, slug="draft", live=False)
    factories.BrandCardFactory(page=draft, title="未发布卡片")
    response = client.get(print_url(draft))
    assert response.status_code == 404


def test_print_view_of_a_private_brand_asks_for_login(client, brand):
    PageViewRestriction.objects.create(page=brand, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(print_url(brand))
    assert response.status_code == 302
    assert "爱心联系卡" not in response.content.decode()


def test_print_view_queries_do_not_grow_with_the_number_of_cards(client, brand):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            get_print(client, brand)
        return len(ctx.captured_queries)

    count()  # warm the per-process caches (site root paths, settings)
    before = count()
    for n in range(5):
        factories.BrandCardFactory(page=brand, title=f"卡片{n}")
    assert count() == before


def test_brand_editor_renders_with_chinese_panels(admin_client, brand):
    response = admin_client.get(f"/admin/pages/{brand.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("基本信息", "品牌故事", "服务卡片", "卡片类型", "卡片内容", "联系方式"):
        assert label in html
