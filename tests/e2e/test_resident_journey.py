"""A resident on a phone: home page, a search in Chinese, the report, English, a brand."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SITE_TITLE = "在职党员进社区服务平台"
REPORT_TITLE = "云南曲靖市扎实开展在职党员到社区服务群众工作"
BRAND_TITLE = "小卡片装载大服务"


def test_resident_journey(phone: Page, screenshot):
    phone.goto("/")
    expect(phone).to_have_title(re.compile(SITE_TITLE))
    expect(phone.locator(".site-header__title")).to_have_text(SITE_TITLE)
    expect(phone.locator("html")).to_have_attribute("lang", "zh-Hans")
    screenshot(phone, "home")

    phone.locator("#site-search-q").fill("法律援助")
    phone.locator("form.site-search button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/search/\?q="))
    results = phone.locator(".search-results")
    expect(results.get_by_role("link", name=REPORT_TITLE)).to_be_visible()
    screenshot(phone, "search-results")

    results.get_by_role("link", name=REPORT_TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(REPORT_TITLE)
    expect(phone.get_by_text("责编：唐国宣")).to_be_visible()
    expect(phone.locator(".article__bylines")).to_contain_text("特约记者")
    expect(phone.locator("main")).not_to_contain_text("频道总排行")
    screenshot(phone, "report")

    phone.locator("form.lang-switch").get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", level=1)).to_have_text(REPORT_TITLE)
    screenshot(phone, "report-en")

    phone.goto("/")
    phone.get_by_role("link", name=BRAND_TITLE).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(BRAND_TITLE)
    for card in ("爱心联系卡", "便民服务流程卡", "用工信息卡"):
        expect(phone.locator(".brand-card__title", has_text=card)).to_be_visible()
    screenshot(phone, "brand-project")
