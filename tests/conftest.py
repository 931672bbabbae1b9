from dataclasses import dataclass

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from tests import factories

collect_ignore = []


def pytest_addoption(parser):
    parser.addoption("--e2e", action="store_true", help="run the browser tests in tests/e2e")


def pytest_ignore_collect(collection_path, config):
    # Browser tests run by `make e2e`, not `make test`: they need Debian's chromium.
    if "e2e" in collection_path.parts and not config.getoption("--e2e"):
        return True
    return None


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class SiteTree:
    home: Page
    news: Page
    communities: Page
    county: Page
    community: Page
    other_community: Page


@pytest.fixture
def site_tree(db) -> SiteTree:
    """Home → 工作动态 channel; Home → 社区导航 → 麒麟区 → 麒麟社区 / 方城社区.
    Replaces Wagtail's welcome page as the default site's root."""
    return build_site_tree()


def build_site_tree() -> SiteTree:
    """The pages of `site_tree` (also for module-scoped trees, e.g. tests/workflows)."""
    root = Page.get_first_root_node()
    home = factories.HomePageFactory(parent=root, slug="portal-home")
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.pk != home.pk and old_root.depth > 1:
        old_root.delete()
    news = factories.NewsIndexPageFactory(
        parent=home, title="工作动态", slug="news", show_in_menus=True
    )
    communities = factories.CommunityIndexPageFactory(parent=home, show_in_menus=True)
    county = factories.CountyPageFactory(parent=communities, title="麒麟区", slug="qilin")
    community = factories.CommunityPageFactory(
        parent=county, title="麒麟社区", slug="qilin-community"
    )
    other = factories.CommunityPageFactory(parent=county, title="方城社区", slug="fangcheng")
    return SiteTree(home, news, communities, county, community, other)
