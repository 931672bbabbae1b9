"""axe-core on a phone: every public page type of the demo, and the pages around it, have no
critical or serious violation. Each page's screenshot is kept under artifacts/screenshots."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page
from wagtail.models import Page as WagtailPage

from news.models import NewsPage

pytestmark = pytest.mark.e2e

BLOCKING = {"critical", "serious"}


def _one_page_of_each_type() -> dict[str, str]:
    """The URL of the first live page of every page type the demo has, by model name."""
    urls = {}
    for page in WagtailPage.objects.live().filter(depth__gt=1).specific().order_by("path"):
        urls.setdefault(type(page).__name__, page.url)
    return urls


# Violations inside Wagtail's own editor widgets, which the project neither renders nor can
# label: (axe rule, the element axe names) → the widget. Excused only on the views that are
# given them (the editors with these widgets), never site-wide.
DRAFTAIL = {
    # Draftail's Draft.js editable area (div.notranslate.public-DraftEditor-content,
    # role="textbox"): Wagtail labels the hidden input it writes to, not this div.
    ("aria-input-field-name", ".notranslate"): "Wagtail's Draftail rich text editor",
}
TAGS = {
    # The tag-it jQuery widget of Wagtail's AdminTagWidget (ul.tagit): the typing input it
    # adds (input.ui-autocomplete-input) has no label; Wagtail labels the hidden field.
    ("label", ".ui-autocomplete-input"): "Wagtail's tag field (tag-it)",
}


def _blocking(results, excused: dict | None = None) -> list[str]:
    excused = excused or {}
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
        if (v["id"], " ".join(map(str, node["target"]))) not in excused
    ]


def _check(page: Page, url: str, step: str, screenshot, excused: dict | None = None) -> list[str]:
    page.goto(url)
    return _check_here(page, url, step, screenshot, excused)


def _check_here(
    page: Page, url: str, step: str, screenshot, excused: dict | None = None
) -> list[str]:
    """The page the browser is on, which should be at `url` (after a click, say)."""
    page.wait_for_load_state("networkidle")
    screenshot(page, step)
    problems = [f"{url}: {problem}" for problem in _blocking(Axe().run(page), excused)]
    # A view that sent the browser elsewhere (to sign in, say) was not the one checked.
    if urlsplit(page.url).path != urlsplit(url).path:
        problems.append(f"{url}: ended at {page.url}")
    return problems


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
    assert problems == [], "\n".join(problems)


def _sign_in(page: Page, username: str, login_url: str) -> None:
    page.goto(login_url)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("demo1234")
    # The sign-in form's own button: the header's language switch is a form too.
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"{username} was not signed in"


def test_a_members_pages_have_no_serious_violation(phone: Page, screenshot):
    _sign_in(phone, "member", reverse("login"))
    problems = []
    for name in ["my_service", "member_profile", "my_points"]:
        problems += _check(phone, reverse(f"service:{name}"), name, screenshot)
    assert problems == [], "\n".join(problems)


def _public_sub_routes(member) -> dict[str, str]:
    """The public views beyond the page models: routes of the pages (a brand project's cards to
    print, the month calendar, a sign-up's cancel question) and the service pages."""
    from volunteering.activities.models import ActivityIndexPage
    from volunteering.communities.models import BrandProjectPage, CommunityPage
    from volunteering.menu.models import Need, Post
    from volunteering.signups.models import SignUp
    from volunteering.teams.models import Team

    brand = BrandProjectPage.objects.live().first()
    community = CommunityPage.objects.get(slug="qilin-community")
    signup = (
        SignUp.objects.filter(member=member, state="approved", activity__live=True)
        .select_related("activity")
        .order_by("activity__path")
        .first()
    )
    return {
        "brand-print": brand.url + brand.reverse_subpage("print_cards"),
        "calendar": (page := ActivityIndexPage.objects.live().get()).url
        + page.reverse_subpage("calendar"),
        "signup-cancel": signup.activity.url + signup.activity.specific.reverse_subpage("cancel"),
        "feedback-choose": reverse("service:feedback_choose"),
        "feedback-create": reverse("service:feedback_create", args=[community.pk]),
        "rankings": reverse("service:rankings"),
        "community-ranking": reverse("service:community_ranking", args=[community.pk]),
        "organisation-ranking": reverse(
            "service:organisation_ranking", args=[member.organisation_id]
        ),
        "team": reverse("service:team_detail", args=[Team.objects.order_by("pk").first().pk]),
        "need": reverse("service:need_detail", args=[Need.objects.order_by("pk").first().pk]),
        "post": reverse("service:post_detail", args=[Post.objects.order_by("pk").first().pk]),
        "report": reverse("service:report_create", args=[community.pk]),
    }


def test_the_public_sub_routes_and_a_members_other_pages_have_no_serious_violation(
    phone: Page, screenshot
):
    from volunteering.letters.models import Delivery
    from volunteering.people.models import Member

    _sign_in(phone, "member", reverse("login"))
    member = Member.objects.get(user__username="member")
    urls = _public_sub_routes(member)
    letter = Delivery.objects.filter(member=member).order_by("pk").first().letter
    urls |= {
        "letter-inbox": reverse("service:letter_inbox"),
        "letter": reverse("service:letter_detail", args=[letter.pk]),
        "my-data": reverse("service:my_data"),
    }
    problems = []
    for name, url in urls.items():
        problems += _check(phone, url, name, screenshot)
    # The account-closure request (a form on /my/data/, posted to /my/closure/): refused
    # without the box ticked, then sent, then waiting for the organisation's admin.
    closure = phone.locator("form", has=phone.get_by_role("button", name="申请注销账号"))
    closure.get_by_role("button", name="申请注销账号").click()
    problems += _check_here(
        phone, reverse("service:closure_request"), "closure-refused", screenshot
    )
    closure.get_by_role("checkbox").check()
    closure.get_by_role("button", name="申请注销账号").click()
    problems += _check_here(phone, reverse("service:my_service"), "closure-requested", screenshot)
    problems += _check(phone, reverse("service:my_data"), "closure-pending", screenshot)
    assert problems == [], "\n".join(problems)


def test_the_staffs_main_admin_views_have_no_serious_violation(phone: Page, screenshot):
    from django.contrib.auth import get_user_model
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from volunteering.admin.viewsets import VIEWSETS

    staff = get_user_model().objects.get(username="staff")
    _sign_in(phone, "staff", "/admin/login/")
    # The explorer opens at the staff member's own part of the tree; the lists are those the
    # staff member may open (the others send them back to the dashboard).
    root = PagePermissionPolicy().explorable_root_instance(staff)
    urls = {"dashboard": "/admin/", "pages": reverse("wagtailadmin_explore", args=[root.pk])}
    urls |= {
        model.__name__: viewset.index_url
        for model, viewset in VIEWSETS.items()
        if viewset.permission_policy.user_has_any_permission(staff, ["view", "change"])
    }
    assert len(urls) > 10, urls
    problems = []
    for name, url in urls.items():
        problems += _check(phone, url, f"admin-{name}", screenshot)
    assert problems == [], "\n".join(problems)


def _staff_views(staff) -> dict[str, str]:
    """A community staff member's working views beyond the lists: a page editor, a resident's
    request (inspect and a workflow action), an edit form, and the letters' views."""
    from volunteering.admin.policy import scoped_queryset
    from volunteering.admin.viewsets import VIEWSETS
    from volunteering.communities.models import CommunityPage
    from volunteering.letters.models import Letter
    from volunteering.letters.viewsets import letters_viewset
    from volunteering.menu.models import Need
    from volunteering.voice.models import Feedback

    community = CommunityPage.objects.get(slug="qilin-community")
    news = next(
        page
        for page in WagtailPage.objects.descendant_of(community).type(NewsPage).specific()
        if page.permissions_for_user(staff).can_edit()
    )
    feedback = VIEWSETS[Feedback]
    request = scoped_queryset(Feedback, staff, ("change",)).filter(state="submitted").first()
    need = scoped_queryset(Need, staff, ("change",)).order_by("pk").first()
    letter = Letter.objects.create(
        title="楼道照明维修通知",
        body="<p>本周六上午更换楼道灯泡，请居民注意安全。</p>",
        signature="麒麟社区居委会",
        sender=Letter.Sender.COMMUNITY,
        community=community,
        audience=Letter.Audience.COMMUNITY,
        audience_community=community,
        author=staff,
        live=True,
    )

    def letters(name, *args):
        return reverse(letters_viewset.get_url_name(name), args=args)

    return {
        "page-edit-community": reverse("wagtailadmin_pages:edit", args=[community.pk]),
        "page-edit-news": reverse("wagtailadmin_pages:edit", args=[news.pk]),
        "feedback-submitted": feedback.index_url_with(state="submitted"),
        "feedback-inspect": feedback.object_url(None, request),
        "feedback-accept": feedback.action_url(request, "accept"),
        "need-edit": reverse(VIEWSETS[Need].get_url_name("edit"), args=[need.pk]),
        "letters": letters("list"),
        "letter-edit": letters("edit", letter.pk),
        "letter-send": letters("send", letter.pk),
        "letter-deliveries": letters("deliveries", letter.pk),
    }


# The editors that hold Wagtail's own widgets, and what is excused on each (see DRAFTAIL).
EDITOR_WIDGETS = {
    "page-edit-community": DRAFTAIL,
    "page-edit-news": DRAFTAIL | TAGS,
    "letter-edit": DRAFTAIL,
}


def test_the_staffs_working_views_have_no_serious_violation(phone: Page, screenshot):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="staff")
    urls = _staff_views(staff)
    _sign_in(phone, "staff", "/admin/login/")
    problems = []
    for name, url in urls.items():
        excused = EDITOR_WIDGETS.get(name)
        problems += _check(phone, url, f"admin-{name}", screenshot, excused)
    assert problems == [], "\n".join(problems)


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
    assert problems == [], "\n".join(problems)
