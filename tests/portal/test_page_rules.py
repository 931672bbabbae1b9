"""Every page type can be created where it belongs, nowhere else, and renders."""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from tests import factories
from volunteering.communities.models import (
    BrandCard,
    BrandProjectPage,
    CommunityIndexPage,
    CommunityPage,
    CountyPage,
)

PARENTS = [
    "root",
    "home",
    "standard",
    "news",
    "news_item",
    "communities",
    "county",
    "community",
    "brand",
]

# Where each type may live. HomePage and CommunityIndexPage are single pages (max_count = 1),
# so once the site tree has them no second one can be created anywhere.
ALLOWED_PARENTS = {
    HomePage: {"root"},
    StandardPage: {"home", "standard"},
    NewsIndexPage: {"home", "community"},
    NewsPage: {"news"},
    CommunityIndexPage: {"home"},
    CountyPage: {"communities"},
    CommunityPage: {"county"},
    BrandProjectPage: {"community"},
}
SINGLE_PAGES = {HomePage, CommunityIndexPage}
PAGE_MODELS = list(ALLOWED_PARENTS)


@pytest.fixture
def tree(site_tree) -> dict[str, Page]:
    return {
        "root": Page.get_first_root_node(),
        "home": site_tree.home,
        "standard": factories.StandardPageFactory(parent=site_tree.home, title="关于"),
        "news": site_tree.news,
        "news_item": factories.NewsPageFactory(parent=site_tree.news),
        "communities": site_tree.communities,
        "county": site_tree.county,
        "community": site_tree.community,
        "brand": factories.BrandProjectPageFactory(parent=site_tree.community),
    }


def add_url(model, parent) -> str:
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def assert_refused(response, key=""):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    assert response.status_code in (302, 403), key
    if response.status_code == 302:
        assert response["Location"] == "/admin/", key


def label(model) -> str:
    return model.__name__


@pytest.mark.parametrize("model", PAGE_MODELS, ids=label)
def test_page_type_may_exist_only_under_its_allowed_parents(tree, model):
    for key in PARENTS:
        expected = key in ALLOWED_PARENTS[model]
        assert model.can_exist_under(tree[key].specific) == expected, key


@pytest.mark.parametrize("model", PAGE_MODELS, ids=label)
def test_page_type_can_be_created_only_where_allowed(tree, model):
    for key in PARENTS:
        expected = key in ALLOWED_PARENTS[model] and model not in SINGLE_PAGES
        assert model.can_create_at(tree[key].specific) == expected, key


@pytest.mark.parametrize("model", sorted(SINGLE_PAGES, key=label), ids=label)
def test_single_pages_can_be_created_where_allowed_until_one_exists(tree, model):
    (parent_key,) = ALLOWED_PARENTS[model]
    existing = model.objects.get()
    assert model.can_exist_under(tree[parent_key].specific)
    assert model.max_count == 1 and existing is not None
    assert not model.can_create_at(tree[parent_key].specific)


@pytest.mark.parametrize("model", PAGE_MODELS, ids=label)
def test_admin_offers_the_create_form_only_where_allowed(admin_client, tree, model):
    for key in PARENTS:
        response = admin_client.get(add_url(model, tree[key]))
        if model.can_create_at(tree[key].specific):
            assert response.status_code == 200, key
            assert b'name="title"' in response.content
        else:
            assert_refused(response, key)


@pytest.mark.parametrize("key", [key for key in PARENTS if key != "root"])
def test_every_page_type_renders(client, tree, key):
    response = client.get(tree[key].url)
    assert response.status_code == 200
    assert tree[key].title in response.content.decode()


def test_the_tree_holds_one_page_of_every_type(tree):
    assert {type(tree[key].specific) for key in PARENTS if key != "root"} == set(PAGE_MODELS)


def test_admin_creates_and_publishes_a_brand_project_with_a_card(admin_client, tree):
    data = nested_form_data(
        {
            "title": "小卡片装载大服务",
            "slug": "small-cards",
            "summary": "党员把三张卡片送到居民手中。",
            "story": streamfield([("paragraph", rich_text("<p>从 2013 年起，社区……</p>"))]),
            "cards": inline_formset(
                [
                    {
                        "kind": BrandCard.Kind.LOVE_CONTACT,
                        "title": "爱心联系卡",
                        "text": "有困难，找党员。",
                        "contact": "0874-3112345 转 8001",
                    }
                ]
            ),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(add_url(BrandProjectPage, tree["community"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = BrandProjectPage.objects.get(slug="small-cards")
    assert page.live
    assert page.get_parent().pk == tree["community"].pk
    card = page.cards.get()
    assert (card.kind, card.title, card.contact) == (
        "love_contact",
        "爱心联系卡",
        "0874-3112345 转 8001",
    )
    html = admin_client.get(page.url + "print/").content.decode()
    assert "爱心联系卡" in html and '<span class="phone">0874-3112345</span> 转 8001' in html


def test_admin_creates_and_publishes_a_community_with_duty_staff(admin_client, tree):
    data = nested_form_data(
        {
            "title": "白石江社区",
            "slug": "baishijiang",
            "street_or_town": "白石江街道",
            "party_organisation": "白石江社区党委",
            "window_place": "社区服务中心一楼",
            "window_hours": "周一至周五 9:00-17:00",
            "duty_staff": inline_formset(
                [{"name": "王芳", "role": "书记", "duty_time": "周一"}, {"name": "李强"}]
            ),
            "contact_phone": "0874-3112345",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(add_url(CommunityPage, tree["county"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CommunityPage.objects.get(slug="baishijiang")
    assert page.live and page.get_parent().pk == tree["county"].pk
    assert [s.name for s in page.duty_staff.all()] == ["王芳", "李强"]
    html = admin_client.get(page.url).content.decode()
    assert "王芳" in html and "白石江社区党委" in html


def test_admin_refuses_to_create_a_page_where_it_does_not_belong(admin_client, tree):
    data = nested_form_data(
        {
            "title": "放错地方的品牌",
            "slug": "misplaced",
            "story": streamfield([]),
            "cards": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(add_url(BrandProjectPage, tree["county"]), data)
    assert_refused(response)
    assert not BrandProjectPage.objects.filter(slug="misplaced").exists()
