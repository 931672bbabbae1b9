"""factory_boy factories. Page factories add their page under a parent given as `parent=`
(defaulting to a sensible place in the tree built by the `site_tree` fixture)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from volunteering.accounts.models import OneTimeCode, PasswordResetEmail
from volunteering.activities.models import ActivityIndexPage, ActivityPage, Theme
from volunteering.assessment.models import Assessment
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.people.models import Member, Organisation, Skill
from volunteering.points.models import PointEntry, PointRule
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership
from volunteering.voice.models import Feedback, GoodDeed, new_receipt_code
from workflows.editorial import CITY_REVIEWERS
from workflows.models import ReviewScope
from workflows.statemachine import fixture_states


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("pass1234")


class PasswordResetEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PasswordResetEmail

    user = factory.SubFactory(UserFactory)
    sent_to = factory.LazyAttribute(lambda o: o.user.email)


class OneTimeCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OneTimeCode

    user = factory.SubFactory(UserFactory)
    phone = "13908741001"
    code_digest = "0" * 64
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=10))


class PageFactory(factory.Factory):
    """Builds the page in memory, then `add_child`s it under `parent` and publishes it."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent: Page, publish: bool = True, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish and page.live:
            page.save_revision().publish()
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "在职党员进社区服务平台"
    slug = "home"


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = "关于本平台"


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = factory.Sequence(lambda n: f"工作动态{n}")


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"新闻 {n}")
    date = factory.Sequence(
        lambda n: timezone.make_aware(
            datetime.datetime(2014, 7, 1, 8, 0) + datetime.timedelta(hours=n)
        )
    )
    source = "国际神州网"
    lead = "导语"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>正文段落。</p>")])


class CommunityIndexPageFactory(PageFactory):
    class Meta:
        model = CommunityIndexPage

    title = "社区导航"
    slug = "communities"


class CountyPageFactory(PageFactory):
    class Meta:
        model = CountyPage

    title = factory.Sequence(lambda n: f"县{n}")
    kind = CountyPage.Kind.COUNTY


class CommunityPageFactory(PageFactory):
    class Meta:
        model = CommunityPage

    title = factory.Sequence(lambda n: f"社区{n}")
    street_or_town = "西宁街道"
    party_organisation = "社区党委"
    window_place = "社区服务中心一楼"
    window_hours = "周一至周五 9:00-17:00"


class BrandProjectPageFactory(PageFactory):
    class Meta:
        model = BrandProjectPage

    title = factory.Sequence(lambda n: f"品牌项目{n}")
    summary = "小微服务"


# --- The site tree -----------------------------------------------------------------------


@dataclass
class SiteTree:
    home: Page
    news: Page
    communities: Page
    county: Page
    community: Page
    other_community: Page


def build_site_tree() -> SiteTree:
    """Home → 工作动态 channel; Home → 社区导航 → 麒麟区 → 麒麟社区 / 方城社区, replacing Wagtail's
    welcome page as the default site's root: the `site_tree` fixture, and the tree of module- or
    class-scoped tests (tests/workflows, the page-tree tests)."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="portal-home")
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk and old_root.depth > 1:
        old_root.delete()
    news = NewsIndexPageFactory(parent=home, title="工作动态", slug="news", show_in_menus=True)
    communities = CommunityIndexPageFactory(parent=home, show_in_menus=True)
    county = CountyPageFactory(parent=communities, title="麒麟区", slug="qilin")
    community = CommunityPageFactory(parent=county, title="麒麟社区", slug="qilin-community")
    other = CommunityPageFactory(parent=county, title="方城社区", slug="fangcheng")
    return SiteTree(home, news, communities, county, community, other)


class BrandCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandCard

    kind = BrandCard.Kind.LOVE_CONTACT
    title = "爱心联系卡"
    text = "有困难，找党员。"
    contact = "0874-1234567"


# --- Volunteering -------------------------------------------------------------------------


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Iterator(["法律咨询", "医疗保健", "文明引导", "维持秩序", "心理疏导"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"曲靖市第{n}机关")
    kind = Organisation.Kind.AGENCY


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(lambda n: f"党员{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    # In the one form phones are stored in (volunteering.people.phones).
    phone = factory.Sequence(lambda n: f"138 {n // 10000 % 10000:04d} {n % 10000:04d}")
    privacy_consent_at = factory.LazyFunction(timezone.now)


class ActivityPageFactory(PageFactory):
    class Meta:
        model = ActivityPage

    title = factory.Sequence(lambda n: f"志愿服务活动{n}")
    summary = "社区志愿服务"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "社区服务中心"
    capacity = 5
    needs_approval = False


class StatefulFactory(factory.django.DjangoModelFactory):
    """For models whose state only workflow transitions write (`workflows.statemachine`): the
    row is created directly in the state asked for, inside the documented escape hatch
    `fixture_states()`, without the transition's history. Tests of a workflow itself go
    through its services instead."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with fixture_states():
            return super()._create(model_class, *args, **kwargs)


class ReportFactory(StatefulFactory):
    """A member's report (报到); pass `community=`."""

    class Meta:
        model = Report

    member = factory.SubFactory(MemberFactory)
    kind = Report.Kind.VOLUNTARY
    is_primary = True


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def make_staff(community, *, username: str | None = None, **user_fields):
    """A user who is staff of `community`: in a group holding a page permission on the
    community page itself (the rule of `volunteering.scopes`), like the demo's groups.
    `community_staff` is the same person who also enters the admin."""
    group, _created = Group.objects.get_or_create(name=f"{community.title}工作人员")
    GroupPagePermission.objects.get_or_create(
        group=group, page=community, permission=_permission("wagtailcore", "change_page")
    )
    fields = {"username": username} if username else {}
    user = UserFactory(**fields, **user_fields)
    user.groups.add(group)
    return user


def make_reviewer(community=None, *, username: str | None = None, **user_fields):
    """A reviewer of `community`'s pages (its "XX社区审核人" group, with a ReviewScope on the
    community page), or with `community=None` a city reviewer (城市审核人, made by the
    workflows data migration), who reviews city-wide pages and gives the final approval.
    Reviewers hold no page permission: they reach the editor through the workflow task."""
    name = f"{community.title}审核人" if community is not None else CITY_REVIEWERS
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    if community is not None:
        ReviewScope.objects.get_or_create(group=group, page=community)
    fields = {"username": username} if username else {}
    user = UserFactory(**fields, **user_fields)
    user.groups.add(group)
    return user


# --- Admin roles -------------------------------------------------------------------------
# Users who enter the Wagtail admin (`access_admin`), each with their scope in volunteering.


def _admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name="后台用户")
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


def admin_user(username: str, **fields):
    """A user who may enter the Wagtail admin, and nothing more by themselves."""
    user = UserFactory(username=username, **fields)
    user.groups.add(_admin_group())
    return user


def community_staff(community, username: str):
    """Staff of `community` (`make_staff`) who use the admin."""
    user = make_staff(community, username=username)
    user.groups.add(_admin_group())
    return user


def city_user(username: str = "city"):
    """The city (市级): manages every community (`volunteering.manage_all_communities`)."""
    user = admin_user(username)
    user.user_permissions.add(_permission("volunteering", "manage_all_communities"))
    return user


def organisation_admin(organisation, username: str):
    """An admin of `organisation` (单位管理员): sees its members, their reports and results."""
    user = admin_user(username)
    organisation.admins.add(user)
    return user


# --- Service menu (服务菜单) ----------------------------------------------------------------


class NeedFactory(StatefulFactory):
    """A need on a community's menu; pass `community=` (a CommunityPage)."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"服务需求{n}")
    description = "为社区居民提供志愿服务。"
    places = 2

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class NeedClaimFactory(StatefulFactory):
    """A member's claim (认领) of a need; pass `need=`."""

    class Meta:
        model = NeedClaim

    member = factory.SubFactory(MemberFactory)
    outcome = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == NeedClaim.State.DONE), "已上门服务两次。", ""
    )


class PostFactory(factory.django.DjangoModelFactory):
    """A post (岗位) of a community; pass `community=`."""

    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"服务岗位{n}")
    description = "联系楼栋居民，收集意见建议。"


class PostPledgeFactory(StatefulFactory):
    """A member's pledge (领岗承诺) to a post, for the next 90 days; pass `post=`."""

    class Meta:
        model = PostPledge

    member = factory.SubFactory(MemberFactory)
    commitment = "每周六上午走访楼栋住户，收集意见建议。"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=90))


class TeamFactory(factory.django.DjangoModelFactory):
    """A service team (服务队); pass `community=` or `organisation=`."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"服务队{n}")
    description = "组团式服务。"


class TeamMembershipFactory(StatefulFactory):
    """A member's place in (or request to join) a team; pass `team=`."""

    class Meta:
        model = TeamMembership

    member = factory.SubFactory(MemberFactory)


# --- Privacy (账号注销) ------------------------------------------------------------------------


class AccountClosureFactory(StatefulFactory):
    """A member's request to close their account, to their organisation (pending by default)."""

    class Meta:
        model = AccountClosure

    member = factory.SubFactory(MemberFactory)
    organisation = factory.SelfAttribute("member.organisation")


# --- Activities (活动报名) -------------------------------------------------------------------


class ThemeFactory(factory.django.DjangoModelFactory):
    """A themed campaign (主题活动) grouping activities."""

    class Meta:
        model = Theme
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"党员为居民服务主题活动{n}")
    slogan = "党旗在社区飘扬"


class ActivityIndexPageFactory(PageFactory):
    """The city-wide activity listing; pass `parent=` the home page."""

    class Meta:
        model = ActivityIndexPage

    title = "活动报名"
    slug = "activities"


class SignUpFactory(StatefulFactory):
    """A member's sign-up (报名) to an activity, queued now; pass `activity=`. An attended one
    is checked in at the activity's start with its hours."""

    class Meta:
        model = SignUp

    member = factory.SubFactory(MemberFactory)
    queued_at = factory.LazyFunction(timezone.now)
    checked_in_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == SignUp.State.ATTENDED),
        factory.SelfAttribute("activity.starts_at"),
        None,
    )
    hours = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == SignUp.State.ATTENDED), Decimal("2.0"), None
    )


# --- Residents' voice (听取群众意见建议) -------------------------------------------------------


class FeedbackFactory(StatefulFactory):
    """A resident's item already in some state (`state=`, `outcome=`…); pass `community=`. An
    assigned item without `assigned_team=` goes to a new member; a closed one without
    `outcome=` was answered."""

    class Meta:
        model = Feedback

    kind = "suggestion"
    text = factory.Sequence(lambda n: f"建议小区增设休息座椅{n}")
    code = factory.LazyFunction(new_receipt_code)
    state = "submitted"
    assigned_team = None
    assigned_member = factory.Maybe(
        factory.LazyAttribute(
            lambda o: o.state == Feedback.State.ASSIGNED and o.assigned_team is None
        ),
        factory.SubFactory(MemberFactory),
        None,
    )
    outcome = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == Feedback.State.CLOSED),
        Feedback.Outcome.ANSWERED,
        "",
    )


class GoodDeedFactory(factory.django.DjangoModelFactory):
    """A good deed (办好事实事) of a community; pass `community=`."""

    class Meta:
        model = GoodDeed

    title = factory.Sequence(lambda n: f"为独居老人修缮房屋{n}")


# --- Assessment (考核评定) --------------------------------------------------------------------


class AssessmentFactory(StatefulFactory):
    """A community's assessment of a member for this year, graded 称职; pass `community=`."""

    class Meta:
        model = Assessment

    member = factory.SubFactory(MemberFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    grade = Assessment.Grade.COMPETENT


def point_entry(member, community, amount, *, days_ago: int = 0, reason: str = "补录"):
    """A manual points entry (补录) of `amount` for `member` in `community`, `days_ago` old."""
    return PointEntry.objects.create(
        member=member,
        community=community,
        amount=Decimal(str(amount)),
        kind="correction",
        rule_key="manual",
        reason=reason,
        earned_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


# --- Points (积分) and review scopes -----------------------------------------------------------


class PointRuleFactory(factory.django.DjangoModelFactory):
    """A points rule in force from a past day (one per key and day)."""

    class Meta:
        model = PointRule

    key = PointRule.Key.PLEDGE_FULFILLED
    amount = Decimal("5.0")
    valid_from = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))


class PointEntryFactory(factory.django.DjangoModelFactory):
    """A manual points entry of a member in a community; pass `community=`."""

    class Meta:
        model = PointEntry

    member = factory.SubFactory(MemberFactory)
    amount = Decimal("2.0")
    kind = PointEntry.Kind.CORRECTION
    rule_key = PointEntry.MANUAL_KEY
    reason = "补记上门服务"


class ReviewScopeFactory(factory.django.DjangoModelFactory):
    """A review scope (审核范围): a reviewers' group over a page; pass `page=`."""

    class Meta:
        model = ReviewScope

    group = factory.Sequence(lambda n: Group.objects.get_or_create(name=f"审核人（测试）{n}")[0])
