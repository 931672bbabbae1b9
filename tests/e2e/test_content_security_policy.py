"""The Content-Security-Policy in a real browser: the public pages of every type and the Wagtail
admin (dashboard, the page editor with Draftail, the image chooser, the preview panel, the
image uploader) and Django's admin raise no CSP violation. Every frame's
`securitypolicyviolation` events are collected, and Chromium's console messages about the
policy, so a blocked inline script, style, image or frame fails the test.

The live server runs the test settings, whose policy is production's (base.py's; test_settings
checks that production does not change it)."""

import re
import struct
import zlib

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from wagtail.models import Page as WagtailPage

from news.models import NewsPage
from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# Collects every violation of every frame (the preview panel's iframe too) in window.__csp.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


@pytest.fixture
def desk(browser, demo_site):
    """A desktop browser (the admin's editor is used on one) that records CSP violations."""
    context = browser.new_context(
        base_url=demo_site.url,
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_messages_about_csp = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.console_messages_about_csp.append(message.text)
        ),
    )
    yield page
    context.close()


def _violations(page: Page) -> list[str]:
    found = list(page.console_messages_about_csp)
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__csp || []")
        except Exception:  # noqa: BLE001 - a frame gone since (navigated away)
            continue
    return found


def _visit(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert "Content-Security-Policy" in {k.title() for k in response.headers}, url
    page.wait_for_load_state("networkidle")
    return [f"{url}: {v}" for v in _violations(page)]


def _png() -> bytes:
    """A 4 × 4 red PNG, made here: the uploader's test image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_public_pages_raise_no_csp_violation(desk: Page):
    from volunteering.communities.models import BrandProjectPage

    urls = {}
    for page in WagtailPage.objects.live().filter(depth__gt=1).specific().order_by("path"):
        urls.setdefault(type(page).__name__, page.url)
    assert len(urls) > 5, urls
    brand = BrandProjectPage.objects.live().first()
    extra = ["/accounts/login/", "/search/?q=社区", "/api/v1/docs"]
    if brand:
        extra.append(brand.url + brand.reverse_subpage("print_cards"))
    problems = []
    for url in [*urls.values(), *extra]:
        problems += _visit(desk, url)
    # The print button is shown by its static script (an inline one would have been blocked).
    if brand:
        desk.goto(extra[-1])
        expect(desk.locator("button[data-print]")).to_be_visible()
    assert problems == [], "\n".join(problems)


def test_the_admin_and_its_page_editor_raise_no_csp_violation(desk: Page):
    desk.goto("/admin/login/")
    desk.locator("input[name=username]").fill("admin")
    desk.locator("input[name=password]").fill(DEMO_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    expect(desk).to_have_url(re.compile(r"/admin/$"))
    problems = [f"/admin/: {v}" for v in _violations(desk)]

    news = NewsPage.objects.live().order_by("pk").first()
    edit = reverse("wagtailadmin_pages:edit", args=[news.pk])
    problems += _visit(desk, edit)
    # Draftail: type into the rich text editor.
    editor = desk.locator(".public-DraftEditor-content").first
    editor.click()
    desk.keyboard.type("内容安全策略")
    # The preview panel: the page rendered in an iframe of the admin.
    desk.locator('[data-side-panel-toggle="preview"]').click()
    frame = desk.frame_locator("#w-preview-iframe")
    expect(frame.locator("body")).to_contain_text(news.title, timeout=20_000)
    desk.wait_for_timeout(500)
    # The image chooser's modal (loaded by fetch, its scripts run from static files).
    desk.locator("[data-chooser-action-choose]").first.click()
    expect(desk.locator(".modal-content")).to_be_visible()
    desk.wait_for_load_state("networkidle")
    desk.keyboard.press("Escape")
    problems += [f"{edit} (editing): {v}" for v in _violations(desk)]

    # The image uploader: a file dropped in, uploaded by fetch, its preview shown.
    uploader = reverse("wagtailimages:add_multiple")
    problems += _visit(desk, uploader)
    desk.locator("#fileupload").set_input_files(
        files=[{"name": "csp.png", "mimeType": "image/png", "buffer": _png()}]
    )
    expect(desk.locator("#upload-list li .status-msg.success")).to_be_visible()
    problems += [f"{uploader} (uploaded): {v}" for v in _violations(desk)]

    for url in ("/admin/images/", "/admin/documents/", "/admin/reports/site-history/"):
        problems += _visit(desk, url)
    problems += _visit(desk, "/django-admin/")
    assert problems == [], "\n".join(problems)
