"""The page editor of every page type (portal/page_editing.py), through Wagtail's admin create
and edit views: readable slugs for Chinese titles, and no 500 when Wagtail 8's autosave and
保存草稿 race to create the same page, or another save takes the slug in between."""

import json
from unittest import mock

import pytest
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage, StandardPage
from portal.page_editing import PageCreateView, PageEditView
from tests import factories
from tests.workflows.editorial_helpers import activity_form, add_url, edit_url, news_form
from volunteering.activities.models import ActivityPage
from volunteering.communities.models import BrandProjectPage, CommunityPage, CountyPage

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # what Wagtail 8's autosave sends


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def standard_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {"title": title, "slug": slug, "body": streamfield([]), "comments": inline_formset([])}
        | extra
    )


def create(client, model, parent, data, **headers):
    return client.post(add_url(model, parent), data, **headers)


# --- Readable slugs --------------------------------------------------------------------------


def test_a_news_item_with_a_chinese_title_gets_a_pinyin_slug_and_a_readable_address(
    admin_client, site_tree
):
    # Wagtail's editor copies the title into the slug as one types: in Chinese.
    data = news_form("社区开展义诊活动", "社区开展义诊活动", **{"action-publish": "1"})
    assert create(admin_client, NewsPage, site_tree.news, data).status_code == 302
    page = NewsPage.objects.get(title="社区开展义诊活动")
    assert page.slug == "she-qu-kai-zhan-yi-zhen-huo-dong"
    assert page.url == "/news/she-qu-kai-zhan-yi-zhen-huo-dong/"
    assert "社区开展义诊活动" in admin_client.get(page.url).content.decode()


def test_the_slug_is_at_most_60_characters_and_unique_among_siblings(admin_client, site_tree):
    title = "麒麟区委组织部联合市司法局、市发改委、市第一人民医院等单位在麒麟社区开展集中服务活动"
    factories.NewsPageFactory(
        parent=site_tree.news, slug="qi-lin-qu-wei-zu-zhi-bu-lian-he-shi-si-fa-ju-shi-fa-gai-wei"
    )
    assert create(admin_client, NewsPage, site_tree.news, news_form(title, "")).status_code == 302
    slug = NewsPage.objects.get(title=title).slug
    assert slug == "qi-lin-qu-wei-zu-zhi-bu-lian-he-shi-si-fa-ju-shi-fa-gai-2"  # cut between words
    assert len(slug) <= 60 and slug.isascii()


def test_the_new_page_form_may_leave_the_slug_empty(admin_client, site_tree):
    response = admin_client.get(add_url(NewsPage, site_tree.news))
    assert response.status_code == 200
    assert not response.context["form"].fields["slug"].required


def test_a_slug_typed_in_ascii_is_kept(admin_client, site_tree):
    create(admin_client, NewsPage, site_tree.news, news_form("年度总结", "annual-report"))
    assert NewsPage.objects.get(title="年度总结").slug == "annual-report"


@pytest.mark.parametrize(
    "model, parent, form",
    [
        (StandardPage, "home", standard_form),
        (ActivityPage, "community", activity_form),
    ],
)
def test_every_page_type_editors_create_gets_a_readable_slug(
    admin_client, site_tree, model, parent, form
):
    parent = getattr(site_tree, parent)
    assert (
        create(admin_client, model, parent, form("便民服务指南", "便民服务指南")).status_code == 302
    )
    assert model.objects.get(title="便民服务指南").slug == "bian-min-fu-wu-zhi-nan"


def test_a_published_page_keeps_its_chinese_slug_and_address(admin_client, site_tree):
    page = factories.NewsPageFactory(parent=site_tree.news, slug="社区新闻", title="社区新闻")
    address = page.url
    data = news_form("社区新闻（更新）", "社区新闻", **{"action-publish": "1"})
    assert admin_client.post(edit_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.slug == "社区新闻" and page.url == address
    assert admin_client.get(address).status_code == 200


def test_a_draft_saved_again_keeps_its_pinyin_slug(admin_client, site_tree):
    create(admin_client, NewsPage, site_tree.news, news_form("居民议事会", "居民议事会"))
    page = NewsPage.objects.get(title="居民议事会")
    # The editor sends back the slug it shows, or the title again if the title changed.
    admin_client.post(edit_url(page), news_form("居民议事会", page.slug))
    admin_client.post(edit_url(page), news_form("居民议事会召开", "居民议事会召开"))
    page.refresh_from_db()
    assert page.slug == "ju-min-yi-shi-hui-zhao-kai"


def test_every_page_type_is_edited_by_the_projects_views():
    for model in (
        HomePage,
        StandardPage,
        NewsIndexPage,
        NewsPage,
        CountyPage,
        CommunityPage,
        BrandProjectPage,
        ActivityPage,
    ):
        viewset = page_viewset_registry.get_by_type(model)
        assert viewset.add_view_class is PageCreateView, model
        assert viewset.edit_view_class is PageEditView, model


# --- The autosave race -----------------------------------------------------------------------


def test_autosave_then_save_draft_on_the_new_page_form_is_a_clear_error(admin_client, site_tree):
    """Autosave creates the page; the 保存草稿 pressed meanwhile posts the same new-page form.
    Before: "slug already in use" escaped as a 500. Now: one page, and the form says where it
    is."""
    data = news_form("社区开展义诊", "社区开展义诊")
    autosaved = create(admin_client, NewsPage, site_tree.news, data, **AUTOSAVE)
    assert autosaved.status_code == 200 and json.loads(autosaved.content)["success"]
    page = NewsPage.objects.get(title="社区开展义诊")

    response = create(admin_client, NewsPage, site_tree.news, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“社区开展义诊”刚刚已保存（可能是自动保存）" in html
    assert edit_url(page) in html
    assert NewsPage.objects.filter(title="社区开展义诊").count() == 1

    # The same from a second autosave: a JSON error, not a second page.
    again = create(admin_client, NewsPage, site_tree.news, data, **AUTOSAVE)
    assert again.status_code == 400 and not json.loads(again.content)["success"]
    assert NewsPage.objects.filter(title="社区开展义诊").count() == 1


def racing(slug_taker):
    """Patch the page form so that, once it is valid, another request takes its slug (as the
    autosave did in the log: both validated before either saved)."""
    original = WagtailAdminPageForm.clean

    def clean(form):
        data = original(form)
        slug_taker(form, data["slug"])
        return data

    return mock.patch.object(WagtailAdminPageForm, "clean", clean)


def other_request_creates(form, slug):
    form.parent_page.add_child(instance=NewsPage(title="另一请求", slug=slug, live=False))


@pytest.mark.parametrize("headers", [{}, AUTOSAVE], ids=["save-draft", "autosave"])
def test_a_new_page_that_loses_its_slug_to_another_save_is_told_not_a_500(
    admin_client, site_tree, headers
):
    with racing(other_request_creates):
        response = create(
            admin_client, NewsPage, site_tree.news, news_form("同时保存", "same-slug"), **headers
        )
    if headers:
        assert response.status_code == 400
        assert json.loads(response.content)["error_code"] == "validation_error"
    else:
        assert response.status_code == 200
        assert "same-slug" in response.content.decode()  # the slug field's error names it
        assert response.context["form"].errors["slug"]
    assert list(NewsPage.objects.values_list("title", flat=True)) == ["另一请求"]
    site_tree.news.refresh_from_db()
    assert site_tree.news.numchild == 1  # the tree was not left counting a page it lacks


def test_an_edit_that_loses_its_slug_to_another_save_is_told_not_a_500(admin_client, site_tree):
    page = factories.NewsPageFactory(parent=site_tree.news, slug="draft", live=False)
    with racing(other_request_creates):
        response = admin_client.post(edit_url(page), news_form("改了别名", "new-slug"))
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]
    page.refresh_from_db()
    assert page.slug == "draft" and page.title != "改了别名"
