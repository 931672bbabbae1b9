"""A member an organisation registered without a password, on a phone: the organisation's
admin sends an activation invitation by text message, the member opens the link, sets a
password and signs in with their phone number; later they forget it and set a new one with a
code sent to their phone."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from portal import sms
from volunteering.people.models import Member, Organisation

pytestmark = pytest.mark.e2e


@pytest.fixture
def registered(demo_site):
    user = get_user_model().objects.create(username="newmember", email="new@example.com")
    user.set_unusable_password()
    user.save()
    return Member.objects.create(
        user=user,
        real_name="王新",
        organisation=Organisation.objects.get(name="曲靖市司法局"),
        phone="139 0874 1001",
    )


def last_text() -> str:
    return sms.outbox[-1].body


def test_member_activates_by_invitation_and_resets_by_phone_code(
    phone: Page, registered, screenshot, browser, demo_site
):
    sms.outbox.clear()
    phone.goto("/admin/login/")
    phone.locator("input[name=username]").fill("orgadmin")
    phone.locator("input[name=password]").fill("demo1234")
    phone.locator("input[name=password]").press("Enter")
    phone.goto(f"/admin/volunteering/member/{registered.pk}/invite/")
    expect(phone.get_by_text("未激活")).to_be_visible()
    phone.get_by_label("短信").check()
    screenshot(phone, "admin-invite")
    phone.get_by_role("button", name="发送激活邀请").click()
    expect(phone.get_by_text("激活邀请已发送给王新")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/activate/\S+/", last_text())[0]
    path = re.sub(r"^https?://[^/]+", "", link)

    context = browser.new_context(base_url=demo_site.url, viewport={"width": 390, "height": 844})
    member = context.new_page()
    member.goto(path)
    expect(member.get_by_role("heading", level=1)).to_have_text("激活账号")
    screenshot(member, "activate")
    member.locator("input[name=new_password1]").fill("Lushan-2026-spring")
    member.locator("input[name=new_password2]").fill("Lushan-2026-spring")
    member.get_by_role("button", name="设置密码并激活").click()
    expect(member).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(member, "login-after-activation")
    member.locator("input[name=username]").fill("13908741001")
    member.locator("input[name=password]").fill("Lushan-2026-spring")
    member.locator("main").get_by_role("button", name="登录").click()
    expect(member).to_have_url(re.compile(r"/my/"))
    member.context.clear_cookies()

    member.goto("/accounts/login/")
    member.get_by_role("link", name=re.compile("忘记密码")).click()
    member.get_by_role("link", name="用手机验证码找回密码").first.click()
    member.locator("input[name=phone]").fill("139 0874 1001")
    screenshot(member, "reset-by-phone")
    member.get_by_role("button", name="获取验证码").click()
    code = re.search(r"\b(\d{6})\b", last_text())[1]
    member.locator("input[name=code]").fill(code)
    member.locator("input[name=new_password1]").fill("Another-2026-autumn")
    member.locator("input[name=new_password2]").fill("Another-2026-autumn")
    screenshot(member, "reset-code")
    member.get_by_role("button", name="保存新密码").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("密码已设置")
    member.goto("/accounts/login/")
    member.locator("input[name=username]").fill("newmember")
    member.locator("input[name=password]").fill("Another-2026-autumn")
    member.locator("main").get_by_role("button", name="登录").click()
    expect(member).to_have_url(re.compile(r"/my/"))
    context.close()
