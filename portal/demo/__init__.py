"""Demo content for `manage.py load_demo`: the site tree, the seed report as a news item,
a brand project, demo news, groups and one account per role.

Everything is found by slug or name and updated in place, so running it again changes nothing
that is already right: pages get a new revision only when a value actually differs. One module
per subject (`seed`, `pages`, `communities`, `news`); the groups and the demo accounts, which
`manage.py demo_logins` prints, are here with `load_demo`, which runs them all."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Page

from news.models import NewsIndexPage, NewsPage
from portal.demo.communities import ensure_brand_project, ensure_communities
from portal.demo.news import NEWS_INDEX, ensure_community_channel, ensure_news
from portal.demo.pages import ensure_home, ensure_standard_pages, paragraphs_stream, upsert_page
from portal.demo.seed import read_seed_reports
from portal.models import HomePage
from volunteering.communities.models import BrandProjectPage, CommunityPage
from volunteering.demo.assessment import load_assessment_demo
from volunteering.demo.loader import load_volunteering_demo
from volunteering.demo.people import MEMBER_LOGINS
from volunteering.demo.points import load_points_demo
from volunteering.demo.voice import load_voice_demo
from workflows.editorial import CITY_REVIEWERS
from workflows.models import ReviewScope

# --- Groups and accounts ------------------------------------------------------------------

DEMO_PASSWORD = "demo1234"
EDITORS = "编辑"
# The final approval (发布审批) and the review of city-wide pages; nobody but superusers
# publishes directly, so no demo group holds publish_page.
REVIEWERS = CITY_REVIEWERS
LEGACY_REVIEWERS = "审核人"  # earlier demos' reviewers, who could publish the whole site
ORGANISATION_ADMINS = "单位管理员"


def community_staff_group_name(community: CommunityPage) -> str:
    return f"{community.title}工作人员"


def community_reviewer_group_name(community: CommunityPage) -> str:
    return f"{community.title}审核人"


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_group(name: str, *, pages: Iterable[tuple[Page, Sequence[str]]]) -> Group:
    """A group with admin access and the given page permissions (added, never removed)."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for page, codenames in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", codename)
            )
    return group


def ensure_groups(
    home: HomePage, news: NewsIndexPage, staffed: Iterable[CommunityPage]
) -> dict[str, Group]:
    groups = {
        EDITORS: ensure_group(EDITORS, pages=[(news, ("add_page", "change_page"))]),
        REVIEWERS: ensure_group(
            REVIEWERS, pages=[(home, ("add_page", "change_page", "publish_page"))]
        ),
    }
    # Organisation admins use the admin for their own organisation only (volunteering.scopes).
    groups[ORGANISATION_ADMINS] = ensure_group(ORGANISATION_ADMINS, pages=[])
    for community in staffed:
        name = community_staff_group_name(community)
        groups[name] = ensure_group(name, pages=[(community, ("add_page", "change_page"))])
        groups[community_reviewer_group_name(community)] = ensure_community_reviewers(community)
    _withdraw_publishing([*groups.values(), *Group.objects.filter(name=LEGACY_REVIEWERS)])
    return groups


def ensure_community_reviewers(community: CommunityPage) -> Group:
    """The community's reviewers: no page permission at all, only a review scope on the
    community, which lets them open, approve and reject what is submitted from it."""
    group = ensure_group(community_reviewer_group_name(community), pages=[])
    ReviewScope.objects.get_or_create(group=group, page=community)
    return group


def _withdraw_publishing(groups: Iterable[Group]) -> None:
    """Pages are published by the final approval of their workflow, never directly."""
    GroupPagePermission.objects.filter(
        group__in=list(groups), permission__codename="publish_page"
    ).delete()


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Any  # a lazily translated label
    group: str = ""
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "平台管理员", _("超级管理员"), superuser=True),
    DemoUser("editor", "刘编辑", _("编辑：在“工作动态”栏目写稿"), group=EDITORS),
    DemoUser("reviewer", "陈责编", _("城市审核人：审核全市页面，终审发布"), group=REVIEWERS),
    DemoUser("reviewer_qilin", "王审核", _("麒麟社区审核人"), group="麒麟社区审核人"),
    DemoUser("reviewer_fangcheng", "赵审核", _("方城社区审核人"), group="方城社区审核人"),
    DemoUser("staff", "张晓红", _("麒麟社区工作人员"), group="麒麟社区工作人员"),
    DemoUser("staff2", "李文华", _("方城社区工作人员"), group="方城社区工作人员"),
    DemoUser("orgadmin", "周主任", _("单位管理员：曲靖市司法局"), group=ORGANISATION_ADMINS),
    DemoUser("member", "杨建国", _("在职党员（无后台权限）")),
    *(DemoUser(*login) for login in MEMBER_LOGINS),
)


def ensure_user(spec: DemoUser, groups: dict[str, Group]):
    user, _created = get_user_model().objects.get_or_create(username=spec.username)
    user.first_name = spec.display_name
    user.email = f"{spec.username}@example.com"
    user.is_superuser = user.is_staff = spec.superuser
    user.is_active = True
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    if spec.group:
        user.groups.add(groups[spec.group])
    return user


# --- Everything ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    home: HomePage
    news: list[NewsPage]
    communities: dict[str, CommunityPage]
    brand: BrandProjectPage
    users: list


@transaction.atomic
def load_demo(*, seed_dir: Path) -> DemoSummary:
    reports = read_seed_reports(seed_dir)
    home = ensure_home()
    channel = upsert_page(home, NewsIndexPage, slug="news", values=NEWS_INDEX)
    communities = ensure_communities(home)
    news = ensure_news(channel, communities, reports)
    ensure_community_channel(communities["qilin-community"])
    brand = ensure_brand_project(communities["qilin-community"])
    ensure_standard_pages(home)
    staffed = (communities["qilin-community"], communities["fangcheng"])
    groups = ensure_groups(home, channel, staffed)
    users = [ensure_user(spec, groups) for spec in DEMO_USERS]
    load_volunteering_demo(
        home=home,
        communities=communities,
        upsert_page=upsert_page,
        paragraphs_stream=paragraphs_stream,
    )
    load_voice_demo(communities=communities)
    load_points_demo()
    load_assessment_demo(communities=communities)
    return DemoSummary(home, news, communities, brand, users)
