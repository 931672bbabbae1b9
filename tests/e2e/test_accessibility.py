"""axe-core on a phone: every public page type of the demo, and the pages around it, have no
critical or serious violation. Each page's screenshot is kept under artifacts/screenshots."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page
from wagtail.models import Page as WagtailPage

pytestmark = pytest.mark.e2e

BLOCKING = {"critical", "serious"}


def _one_page_of_each_type() -> dict[str, str]:
    """The URL of the first live page of every page type the demo has, by model name."""
    urls = {}
    for page in WagtailPage.objects.live().filter(depth__gt=1).specific().order_by("path"):
        urls.setdefault(type(page).__name__, page.url)
    return urls


def _blocking(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def _check(page: Page, url: str, step: str, screenshot) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    screenshot(page, step)
    return [f"{url}: {problem}" for problem in _blocking(Axe().run(page))]


def test_public_pages_have_no_serious_violation(phone: Page, screenshot):
    urls = _one_page_of_each_type()
    assert {"HomePage", "CommunityPage", "NewsPage", "ActivityPage"} <= set(urls)
    urls |= {
        "statistics": reverse("figures:statistics"),
        "search": reverse("search") + "?q=法律援助",
        "feedback-status": reverse("service:feedback_status"),
        "login": reverse("login"),
        "screen": reverse("figures:screen"),
    }
    problems = []
    for name, url in urls.items():
        problems += _check(phone, url, name, screenshot)
    assert problems == []


def _sign_in(page: Page, username: str, login_url: str) -> None:
    page.goto(login_url)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("demo1234")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def test_a_members_pages_have_no_serious_violation(phone: Page, screenshot):
    _sign_in(phone, "member", reverse("login"))
    problems = []
    for name in ["my_service", "member_profile", "my_points"]:
        problems += _check(phone, reverse(f"service:{name}"), name, screenshot)
    assert problems == []


def test_the_staffs_main_admin_views_have_no_serious_violation(phone: Page, screenshot):
    from volunteering.admin.viewsets import VIEWSETS

    _sign_in(phone, "staff", "/admin/login/")
    urls = {"dashboard": "/admin/", "pages": "/admin/pages/"}
    urls |= {model.__name__: viewset.index_url for model, viewset in VIEWSETS.items()}
    problems = []
    for name, url in urls.items():
        problems += _check(phone, url, f"admin-{name}", screenshot)
    assert problems == []


def test_the_account_pages_have_no_serious_violation(phone: Page, another_phone, screenshot):
    """The pages an imported member goes through (activation by invitation, forgotten password
    by email and by phone) and the organisation admin's import and invitation pages."""
    from django.contrib.auth import get_user_model
    from django.core import mail

    from volunteering.accounts.services import invitation_send
    from volunteering.people.models import Member, Organisation

    user = get_user_model().objects.create(username="a11y-new", email="a11y@example.com")
    user.set_unusable_password()
    user.save()
    member = Member.objects.create(
        user=user, real_name="无障碍", organisation=Organisation.objects.get(name="曲靖市司法局")
    )
    mail.outbox.clear()
    invitation_send(
        member=member, channel="email", by=get_user_model().objects.get(username="orgadmin")
    )
    activate = re.search(r"/accounts/activate/\S+/", mail.outbox[-1].body)[0]
    urls = {
        "activate": activate,
        "activate-invalid": reverse("activate", args=["no-such-token"]),
        "password-reset": reverse("password_reset"),
        "password-reset-phone": reverse("password_reset_phone"),
    }
    problems = []
    for name, url in urls.items():
        problems += _check(phone, url, name, screenshot)

    admin = another_phone("orgadmin")
    members = "/admin/volunteering/member/"
    for name, url in {
        "admin-member-import": f"{members}import/",
        "admin-member-invite": f"{members}{member.pk}/invite/",
        "admin-member-invite-all": f"{members}invite/",
    }.items():
        problems += _check(admin, url, name, screenshot)
    assert problems == []
