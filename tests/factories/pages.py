"""The site's own pages (home, standard pages, news) and the community page tree (county,
community, brand project and its cards), and the tree the `site_tree` fixture builds."""

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone
from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from tests.factories.base import PageFactory
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)


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
