"""A city news item from draft to the public site, on phones: the editor (刘编辑) writes it in
工作动态 in the admin and submits it for review; the city's reviewer (陈责编) finds it on the
dashboard's 等待你的审查 panel and approves both steps with 通过 (编辑部审核, then 发布审批,
whose dialog asks before publishing: 确认通过并发布); then a resident finds it in the channel.
Only links and buttons after the first page (and the admin's login address)."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

TITLE = "麒麟区在职党员开展周末义诊"
LEAD = "周六上午，二十多名医务工作者党员在社区服务中心为居民免费量血压、测血糖。"


def test_editorial_journey(phone: Page, another_phone, screenshot):
    # The editor: the dashboard's page count leads to the channel the editor writes in.
    editor = another_phone("editor")
    editor.get_by_role("link", name=re.compile(r"\d+ 个页面")).click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("工作动态")
    screenshot(editor, "editor-channel")
    editor.get_by_role("link", name=re.compile("添加子页面")).first.click()
    expect(editor).to_have_url(re.compile(r"/add/news/newspage/"))
    editor.get_by_placeholder("页面标题*").fill(TITLE)
    editor.get_by_role("textbox", name="来源").fill("麒麟区委组织部")
    editor.get_by_role("textbox", name="导语").fill(LEAD)
    screenshot(editor, "editor-writes")
    footer = editor.locator("footer")
    footer.get_by_role("button", name="更多动作").click()
    submit = footer.get_by_role("button", name="提交给编辑部审核 → 发布审批")
    expect(submit).to_be_visible()
    screenshot(editor, "editor-submit-menu")
    submit.click()
    expect(editor.locator(".messages")).to_contain_text(f"页面 '{TITLE}' 已创建并提交审核。")
    row = editor.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("审核中")
    screenshot(editor, "editor-submitted")

    # The city's reviewer: the item waits on the dashboard; the first step approves at once.
    reviewer = another_phone("reviewer")
    waiting = reviewer.get_by_role("region", name="等待你的审查")
    row = waiting.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("刘编辑")
    expect(waiting).to_contain_text("隐私和访问权限")  # the column headings, for screen readers
    expect(row.locator('[data-w-tooltip-content-value="编辑部审核: 进行中"]')).to_have_count(1)
    screenshot(reviewer, "reviewer-dashboard")
    row.get_by_role("button", name="动作").click()
    for name in ("退回修改", "通过", "通过并留言"):
        expect(row.get_by_role("button", name=name, exact=True)).to_be_visible()
    screenshot(reviewer, "reviewer-actions")
    row.get_by_role("button", name="通过", exact=True).click()
    expect(row.locator('[data-w-tooltip-content-value="编辑部审核: 已批准"]')).to_have_count(1)
    expect(row.locator('[data-w-tooltip-content-value="发布审批: 进行中"]')).to_have_count(1)
    screenshot(reviewer, "reviewer-first-step-approved")

    # The last step asks before it publishes.
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="通过", exact=True).click()
    # Wagtail's workflow modal: role=dialog, but no accessible name to find it by.
    dialog = reviewer.locator(".modal[role=dialog]")
    expect(dialog.get_by_role("heading", level=1)).to_have_text("通过")
    expect(dialog).to_contain_text("这是最后一步审核：通过后，页面将立即发布，所有人都能看到。")
    screenshot(reviewer, "reviewer-confirm")
    dialog.get_by_role("button", name="确认通过并发布").click()
    expect(waiting.locator("tr", has_text=TITLE)).to_have_count(0)
    screenshot(reviewer, "reviewer-published")

    # The resident: the news channel lists it, and it opens.
    phone.goto("/")
    phone.locator(".site-nav, header nav").first.get_by_role("link", name="工作动态").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("工作动态")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.locator("main")).to_contain_text(LEAD)
    expect(phone.locator("main")).to_contain_text("麒麟区委组织部")
    screenshot(phone, "resident-reads")
