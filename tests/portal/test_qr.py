import xml.etree.ElementTree as ET
from unittest import mock

import pytest
import segno
from wagtail.models import PageViewRestriction

from portal import qr, views
from tests import factories

SVG_NS = "http://www.w3.org/2000/svg"
SVG = f"{{{SVG_NS}}}svg"


@pytest.fixture
def brand(site_tree):
    return factories.BrandProjectPageFactory(parent=site_tree.community, slug="small-cards")


def test_qr_code_of_a_live_page_is_an_svg_of_its_full_url(client, brand):
    with mock.patch.object(views, "qr_svg", wraps=qr.qr_svg) as qr_svg:
        response = client.get(f"/qr/{brand.pk}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    qr_svg.assert_called_once()
    url = qr_svg.call_args.args[0]
    assert (
        url == brand.full_url == "http://testserver/communities/qilin/qilin-community/small-cards/"
    )
    svg = response.content.decode()
    assert svg == qr.qr_svg(url, title=brand.title, standalone=True)
    root = ET.fromstring(response.content)
    assert root.tag == SVG
    assert root.find(f"{{{SVG_NS}}}title").text == brand.title


def test_qr_code_encodes_the_same_matrix_as_segno(brand):
    url = brand.full_url
    expected = segno.make_qr(url, error="m").svg_inline(border=4, omitsize=True, svgclass=None)
    ours = qr.qr_svg(url)
    path = expected[expected.index("<path") :]
    assert path[: path.index("/>")] in ours  # the same modules, drawn the same way


def test_qr_code_can_be_cached_by_browsers_and_proxies(client, brand):
    response = client.get(f"/qr/{brand.pk}.svg")
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


@pytest.mark.parametrize("state", ["draft", "private", "missing"])
def test_qr_code_of_a_page_residents_cannot_see_is_not_found(client, site_tree, state):
    page = factories.BrandProjectPageFactory(
        parent=site_tree.community, live=state != "draft", slug=state
    )
    if state == "private":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    page_id = page.pk + 1000 if state == "missing" else page.pk
    assert client.get(f"/qr/{page_id}.svg").status_code == 404


def test_qr_code_of_a_page_under_a_private_section_is_not_found(client, site_tree, brand):
    PageViewRestriction.objects.create(
        page=site_tree.community, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(f"/qr/{brand.pk}.svg").status_code == 404


def test_inline_qr_svg_is_sized_by_css_and_names_itself():
    svg = qr.qr_svg("http://localhost/a/", title="<品牌>")
    assert svg.startswith('<svg viewBox="0 0 ')
    assert "width=" not in svg.split(">", 1)[0]
    assert "<?xml" not in svg
    assert "<title>&lt;品牌&gt;</title>" in svg
    ET.fromstring(svg)  # well-formed, so it can sit inside HTML or XML


def test_standalone_qr_svg_is_a_complete_svg_document():
    svg = qr.qr_svg("http://localhost/a/", standalone=True)
    assert svg.startswith("<?xml")
    assert ET.fromstring(svg.encode()).tag == SVG


def test_short_urls_still_get_a_full_qr_code_not_a_micro_one():
    # segno.make would choose a Micro QR code for this, which phone scanners cannot read.
    assert segno.make("http://a/", error="m").is_micro
    assert qr.qr_svg("http://a/").startswith('<svg viewBox="0 0 29 29"')  # 21 modules + 2 × 4


def test_pages_link_to_their_qr_code(client, brand):
    html = client.get(brand.url).content.decode()
    assert f'href="/qr/{brand.pk}.svg"' in html
