"""Headless Chromium from Debian's `chromium` package, driven by Playwright's sync API.
Run with `make e2e` (pytest tests/e2e --e2e); never `playwright install`."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it (loading the demo, flushing the database) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, live_server, settings):
    """The demo content, served by the live server, whose address is the public one
    (PORTAL_BASE_URL: links in emails and QR codes lead to it, and load_demo gives the default
    Site its host and port). The rows data migrations made (the editorial workflows) are put
    back before each test: a transactional test's flush deletes them."""
    settings.PORTAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("load_demo", force=True)
    return live_server


@pytest.fixture
def phone(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url, **PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot as artifacts/screenshots/<test>-<nn>-<step>.png. With
    `phone_too=True` (a step on a wider screen), the same page is also saved at phone width
    as …-<step>-390px.png, then shown again at its own size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    steps = []

    def save(page, path: Path) -> None:
        # Animations finished: Wagtail's messages slide in, blank while they do.
        page.screenshot(path=str(path), full_page=True, animations="disabled")

    def take(page, step: str, *, phone_too: bool = False) -> Path:
        steps.append(step)
        path = SCREENSHOTS / f"{request.node.name}-{len(steps):02d}-{step}.png"
        save(page, path)
        size = page.viewport_size
        if phone_too and size and size["width"] != PHONE["viewport"]["width"]:
            page.set_viewport_size(PHONE["viewport"])
            settle(page)
            save(page, path.with_name(f"{path.stem}-390px.png"))
            page.set_viewport_size(size)
            settle(page)
        return path

    return take


def settle(page) -> None:
    """Two animation frames: the layout has followed a change of the viewport's size."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


@pytest.fixture
def another_phone(browser, demo_site):
    """Another person's phone (its own context: its own cookies), signed in to the admin
    when given a username; closed at the end of the test."""
    contexts = []

    def open_phone(username: str = "") -> Page:
        context = browser.new_context(base_url=demo_site.url, **PHONE)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto("/admin/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="登录").click()
            expect(page).to_have_url(re.compile(r"/admin/$"))
        return page

    yield open_phone
    for context in contexts:
        context.close()
