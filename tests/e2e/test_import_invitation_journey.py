"""From a spreadsheet to a first sign-up: an organisation's admin (周主任, 曲靖市司法局, on a
desktop, each step also kept at phone width, 390 px) imports a new member from an XLSX file
made here, finds them on the admin home among the members not yet invited and sends them an
activation invitation by email; the member opens the link in the email on their phone
(390 px), sets a password, signs in with their phone number, follows "my service" to the
activities, signs up for one and sees 已报名 on the activity, the activities list and "my
service". Only links and buttons after each person's first page (the admin's login, the link
in the email)."""

import io
import re

import pytest
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from volunteering.accounts.models import Invitation
from volunteering.people.models import Member
from volunteering.signups.models import SignUp

pytestmark = pytest.mark.e2e

DESKTOP = {
    "viewport": {"width": 1280, "height": 900},
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
USERNAME = "liming2026"
NAME = "李明远"
EMAIL = "liming@example.com"
PHONE_NUMBER = "13908745566"
PASSWORD = "Qilin-Spring-2026"
ACTIVITY = "村容村貌整治志愿清扫"  # the demo's open activity in 方城社区, with places left


def roll() -> bytes:
    """The organisation's roll, as a clerk would fill in the template: the headings and one
    new member (the phone typed as a number, as Excel keeps it)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名单"
    sheet.append(["用户名", "姓名", "手机号", "邮箱"])
    sheet.append([USERNAME, NAME, int(PHONE_NUMBER), EMAIL])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


@pytest.fixture
def admin_page(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url, **DESKTOP)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_import_invitation_activation_first_signup(
    admin_page: Page, phone: Page, screenshot, tmp_path
):
    assert not Member.objects.filter(user__username=USERNAME).exists()
    admin = admin_page

    # 1. The organisation's admin imports the roll.
    admin.goto("/admin/login/")
    admin.locator("input[name=username]").fill("orgadmin")
    admin.locator("input[name=password]").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="登录").click()
    expect(admin).to_have_url(re.compile(r"/admin/$"))
    screenshot(admin, "admin-dashboard", phone_too=True)
    admin.get_by_role("button", name="志愿服务").click()
    admin.get_by_role("link", name="在职党员").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("在职党员")
    admin.get_by_role("link", name="批量导入").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("批量导入党员")
    upload = tmp_path / "司法局党员名单.xlsx"
    upload.write_bytes(roll())
    admin.get_by_label("党员名单文件").set_input_files(upload)
    screenshot(admin, "import-upload", phone_too=True)
    admin.get_by_role("button", name="上传并预览").click()
    preview = admin.locator("[data-import-preview]")
    expect(preview.locator("tbody tr")).to_have_count(1)
    expect(preview.locator("tbody tr")).to_contain_text(NAME)
    expect(admin.locator("main")).to_contain_text("全部有效，确认后一次导入。")
    screenshot(admin, "import-preview", phone_too=True)
    admin.get_by_role("button", name="确认导入").click()
    done = admin.locator(".messages")
    expect(done).to_contain_text("导入完成：新增 1 人")
    expect(done).to_contain_text("新党员设置密码后才能登录：请给他们发送激活邀请。")
    expect(done.get_by_role("link", name="邀请未激活的党员")).to_be_visible()
    row = admin.locator("main tbody tr", has_text=USERNAME)
    expect(row).to_contain_text("未激活")
    expect(row).to_contain_text("139 0874 5566")
    screenshot(admin, "import-done", phone_too=True)

    # 2. Back on the admin home, the new member waits to be invited; the admin invites them.
    admin.locator(".sidebar-wagtail-branding").click()
    expect(admin).to_have_url(re.compile(r"/admin/$"))
    queue = admin.get_by_role("region", name="待我处理").locator("tr", has_text="未激活账号")
    expect(queue.locator("[data-awaiting-count]")).to_have_text("1")
    screenshot(admin, "dashboard-not-invited", phone_too=True)
    queue.get_by_role("link", name="本单位未激活账号的党员").click()
    expect(admin).to_have_url(re.compile(r"account=inactive"))
    expect(admin.locator("main tbody tr")).to_have_count(1)
    row = admin.locator("main tbody tr", has_text=USERNAME)
    mail.outbox.clear()
    row.get_by_role("button", name=f"“{NAME}”的更多选项").click()
    row.get_by_role("link", name="发送激活邀请").click()
    expect(admin.locator("main")).to_contain_text("账号状态：未激活")
    admin.get_by_label(f"邮件（{EMAIL}）").check()
    screenshot(admin, "invite", phone_too=True)
    admin.get_by_role("button", name="发送激活邀请").click()
    expect(admin.get_by_text(f"激活邀请已发送给{NAME}")).to_be_visible()
    expect(admin.locator("main")).to_contain_text("账号状态：已邀请")
    expect(admin.locator("main table")).to_contain_text(EMAIL)
    screenshot(admin, "invite-sent", phone_too=True)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [EMAIL]
    assert email.subject == "请激活您的在职党员服务账号"
    link = re.search(r"https?://\S+/accounts/activate/\S+/", email.body)[0]

    # 3. The member opens the link on their phone and sets a password.
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("激活账号")
    expect(phone.locator("main")).to_contain_text(f"{NAME}同志，请设置您的密码。")
    screenshot(phone, "activate")
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("新密码确认").fill(PASSWORD)
    phone.get_by_role("button", name="设置密码并激活").click()
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(phone, "activated")

    # … signs in with their phone number, …
    phone.locator("input[name=username]").fill("139 0874 5566")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("main").get_by_role("button", name="登录").click()
    expect(phone).to_have_url(re.compile(r"/my/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的服务")
    signups = phone.locator("#signups")
    expect(signups).to_contain_text("暂无即将开始的活动报名。")
    screenshot(phone, "my-service-empty")

    # … finds an activity from there and signs up.
    signups.get_by_role("link", name="看看近期的志愿活动").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    screenshot(phone, "activities")
    phone.get_by_role("link", name=ACTIVITY).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(ACTIVITY)
    screenshot(phone, "activity")
    phone.get_by_role("button", name="我要报名").click()
    expect(phone.locator(".signup-state")).to_contain_text("已报名")
    screenshot(phone, "signed-up")

    # … sees it on the activities list, …
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="志愿活动").click()
    listed = phone.locator("li, article", has=phone.get_by_role("link", name=ACTIVITY)).last
    expect(listed).to_contain_text("已报名")
    screenshot(phone, "activities-signed-up")

    # … and in "my service".
    phone.get_by_role("link", name="我的服务").first.click()
    upcoming = phone.locator("#signups li", has_text=ACTIVITY)
    expect(upcoming).to_contain_text("已报名")
    screenshot(phone, "my-service")

    member = Member.objects.select_related("user").get(user__username=USERNAME)
    assert member.user.has_usable_password()
    assert member.user.check_password(PASSWORD)
    assert member.user.email == EMAIL
    assert Invitation.objects.get(member=member).used_at is not None
    assert SignUp.objects.filter(member=member, activity__title=ACTIVITY).count() == 1
