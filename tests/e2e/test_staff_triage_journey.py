"""A resident asks their community for help on a phone, and the community's staff answer:
the resident jumps from the top of the community page to its form and gets a receipt code;
the staff member (张晓红, 麒麟社区工作人员) signs in to the admin, finds the request on the
dashboard's 待我处理 panel, opens it from the list, accepts it and closes it with an outcome;
between the steps the resident looks the code up on the public status page and reads each
state's wording. Only links and buttons after the first page (and the admin's login address)."""

import re

import pytest
from playwright.sync_api import Page, expect

from volunteering.communities.models import CommunityPage

pytestmark = pytest.mark.e2e

REQUEST = "楼道的灯坏了一个多月，晚上老人上下楼不方便，请社区帮忙找人修一下。"
REPLY = "已联系物业更换了三楼和四楼的灯泡，感谢您的反映。"


def look_up(page: Page, code: str) -> None:
    """The status page's own form: the code is posted, never put in the address."""
    page.get_by_role("textbox", name="回执码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator(".feedback-status")).to_be_visible()


def test_staff_triage_journey(phone: Page, another_phone, screenshot):
    community = CommunityPage.objects.get(slug="qilin-community")

    # The resident: the community page says at its top where the form is.
    phone.goto(community.url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("麒麟社区")
    jump = phone.locator(".jump-links").get_by_role("link", name="我要提意见/求助")
    expect(jump).to_be_visible()
    screenshot(phone, "community-page")
    jump.click()
    expect(phone).to_have_url(re.compile(r"#feedback$"))
    form = phone.locator("form.feedback-form")
    expect(form).to_be_in_viewport()
    form.get_by_label("困难求助").check()
    form.get_by_label("具体内容").fill(REQUEST)
    form.get_by_label("姓名或称呼").fill("王阿姨")
    form.get_by_label("联系电话").fill("13812345678")
    screenshot(phone, "form-filled")
    form.get_by_role("button", name="提交").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")
    expect(phone.locator(".receipt")).to_contain_text("您的困难求助已送达麒麟社区。")
    code = phone.locator(".receipt__code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code), code
    screenshot(phone, "receipt")
    phone.locator(".receipt").get_by_role("button", name="查询办理进度").click()
    status = phone.locator(".feedback-status")
    expect(status.locator(".status")).to_have_text("待受理")
    expect(status).to_contain_text("留言已送达，正在等待社区受理；受理后会开始办理。")
    expect(status.locator("[aria-current=step]")).to_have_text("已提交")
    screenshot(phone, "status-submitted")

    # The community's staff, in the admin, on another phone.
    staff = another_phone("staff")
    panel = staff.get_by_role("region", name="待我处理")
    queue = panel.locator("tr", has_text="待受理的居民诉求")
    count = queue.locator("[data-awaiting-count]")
    expect(count).to_have_text(re.compile(r"^[1-9]\d*$"))
    waiting = int(count.inner_text())
    screenshot(staff, "staff-dashboard")
    queue.get_by_role("link", name="待受理的居民诉求").click()
    expect(staff).to_have_url(re.compile(r"state=submitted"))
    # The list the panel opens holds what it counted, the new request among them.
    expect(staff.locator("main table.listing tbody tr")).to_have_count(waiting)
    row = staff.locator("tbody tr", has_text=REQUEST[:20])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待受理")
    screenshot(staff, "staff-list")
    # On a phone the list keeps readable columns and scrolls sideways (admin-phone.css): Wagtail
    # squeezed the request's column to two characters and broke 不予受理 into single characters.
    assert row.locator("td.title").bounding_box()["width"] >= 120
    listing = staff.locator("main table.listing")
    assert listing.evaluate("t => t.parentElement.scrollWidth > t.parentElement.clientWidth")
    assert row.get_by_role("link", name="不予受理", exact=True).bounding_box()["height"] < 40
    row.get_by_role("link", name=REQUEST).click()

    expect(staff.locator("main")).to_contain_text(REQUEST)
    expect(staff.locator("main")).to_contain_text("王阿姨")
    screenshot(staff, "staff-inspect")
    staff.get_by_role("link", name="受理", exact=True).click()
    expect(staff.locator("main")).to_contain_text("执行“受理”（当前状态：待受理）")
    screenshot(staff, "staff-accept")
    staff.locator("main").get_by_role("button", name="受理", exact=True).click()
    expect(staff.get_by_text("已执行“受理”")).to_be_visible()
    expect(staff.locator("main")).to_contain_text("待受理 → 已受理")

    # The resident looks again: taken up.
    look_up(phone, code)
    expect(status.locator(".status")).to_have_text("已受理")
    expect(status).to_contain_text("社区已受理，正在安排人员办理，办结后会在这里答复您。")
    expect(status.locator("[aria-current=step]")).to_have_text("已受理")
    screenshot(phone, "status-accepted")

    # The staff member closes it with a reply the resident will read.
    screenshot(staff, "staff-accepted")
    staff.get_by_role("link", name="办结：已解决").click()
    expect(staff.locator("main")).to_contain_text("执行“办结：已解决”（当前状态：已受理）")
    staff.get_by_role("textbox", name=re.compile("办理结果")).fill(REPLY)
    screenshot(staff, "staff-close")
    staff.locator("main").get_by_role("button", name="办结：已解决").click()
    expect(staff.get_by_text("已执行“办结：已解决”")).to_be_visible()
    expect(staff.locator("main")).to_contain_text("已受理 → 已办结")
    screenshot(staff, "staff-closed")

    look_up(phone, code)
    expect(status.locator(".status")).to_have_text("已办结")
    expect(status).to_contain_text("这件事已办结。")
    expect(status).to_contain_text("已解决（化解）")
    expect(status.locator(".feedback-reply")).to_have_text(REPLY)
    expect(status.locator("[aria-current=step]")).to_have_text("已办结")
    screenshot(phone, "status-closed")
