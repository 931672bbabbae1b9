"""A member on a phone: signs in from an activity page, signs up, finds it in "my service"."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ACTIVITY = "村容村貌整治志愿清扫"  # the demo's open activity in 方城社区, with places left


def test_member_signs_up_for_an_activity(phone: Page, screenshot):
    phone.goto("/activities/")
    phone.get_by_role("link", name=ACTIVITY).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(ACTIVITY)
    screenshot(phone, "activity-anonymous")

    phone.get_by_role("link", name="登录后报名").click()
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    phone.locator("input[name=username]").fill("member2")
    phone.locator("input[name=password]").fill("demo1234")
    phone.locator("main").get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(ACTIVITY)

    phone.get_by_role("button", name="我要报名").click()
    expect(phone.locator(".signup-state")).to_contain_text("已报名")
    screenshot(phone, "activity-signed-up")

    phone.goto("/my/")
    expect(phone.get_by_role("link", name=ACTIVITY).first).to_be_visible()
    screenshot(phone, "my-service")
