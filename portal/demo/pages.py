"""How the demo makes its pages: found by slug under their parent and updated in place, with a
new revision only when a value differs; the site's root and home page, and the standard pages."""

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from modelcluster.fields import ParentalManyToManyField
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from portal import addresses
from portal.models import HomePage, StandardPage

P = TypeVar("P", bound=Page)
SITE_TITLE = "在职党员进社区服务平台"


# --- Pages, found by slug and updated only when something differs -----------------------


def paragraphs_stream(paragraphs: Iterable[str]) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in paragraphs]


def _stream_rows(rows: Iterable[dict]) -> list[dict]:
    """Blocks without their ids, which are new each time a stream is assigned."""
    return [{"type": row["type"], "value": row["value"]} for row in rows]


def _current(page: Page, name: str, wanted: Any) -> Any:
    """The page's value of `name` in the same shape as `wanted`, to compare the two."""
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_rows(getattr(page, name).raw_data)
    if isinstance(field, ParentalManyToManyField):
        return {p.pk for p in getattr(page, name).all()}
    if name == "tags":
        return sorted(page.tags.names())
    if field.one_to_many:
        keys = {key for row in wanted for key in row}
        return [{k: getattr(obj, k) for k in keys} for obj in getattr(page, name).all()]
    return getattr(page, name)


def _wanted(page: Page, name: str, value: Any) -> Any:
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_rows(value)
    if isinstance(field, ParentalManyToManyField):
        return {p.pk for p in value}
    if name == "tags":
        return sorted(value)
    return value


def _assign(page: Page, name: str, value: Any) -> None:
    field = page._meta.get_field(name)
    if name == "tags":
        page.tags.set(list(value))
    elif isinstance(field, StreamField):
        setattr(page, name, copy.deepcopy(value))  # Wagtail writes block ids into what it gets
    elif field.one_to_many:
        setattr(page, name, [field.related_model(**row) for row in value])
    else:
        setattr(page, name, value)


def upsert_page(parent: Page, model: type[P], *, slug: str, values: dict[str, Any]) -> P:
    """Find `parent`'s child `slug` or create it; publish a revision only when values differ."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug)
        for name, value in values.items():
            _assign(page, name, value)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = {
        name: value
        for name, value in values.items()
        if _current(page, name, value) != _wanted(page, name, value)
    }
    if changed or not page.live or page.has_unpublished_changes:
        for name, value in changed.items():
            _assign(page, name, value)
        page.save_revision().publish()
    return page


def without_slug(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "slug"}


# --- The site: root, home page, welcome page --------------------------------------------


def _tree_root() -> Page:
    """The tree's root node, re-created (with the default locale) in an emptied database."""
    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def _default_site(root: Page) -> Site:
    """The default site, at the public address (PORTAL_BASE_URL), as `migrate` leaves it."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = addresses.site_hostname_and_port()
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=root, is_default_site=True
        )
    else:
        addresses.sync_default_site()
        site.refresh_from_db()
    return site


def _remove_welcome_pages(root: Page) -> None:
    """Wagtail's 'Welcome to your new Wagtail site!': a plain, childless Page under the root.
    Sites pointing at it move to the root first (deleting a site's root deletes the site)."""
    welcome = Page.objects.child_of(root).filter(
        content_type=ContentType.objects.get_for_model(Page), numchild=0
    )
    Site.objects.filter(root_page__in=welcome).update(root_page=root)
    for page in welcome:
        page.delete()


def ensure_home() -> HomePage:
    root = _tree_root()
    site = _default_site(root)
    _remove_welcome_pages(root)
    home = upsert_page(root, HomePage, slug="home", values=HOME)
    Site.objects.filter(pk=site.pk).update(root_page=home, site_name=SITE_TITLE)
    return home


HOME = {
    "title": SITE_TITLE,
    "intro": (
        "工作在单位、活动在社区、奉献双岗位。在职党员在这里到社区报到、认领服务项目、"
        "参加志愿服务；居民在这里找到社区的报到窗口、服务品牌和最新工作动态。"
    ),
    "figures_note": "演示站点：页面内容为示例数据，统计数字根据系统中的数据实时计算。",
}

# --- Standard pages ----------------------------------------------------------------------

STANDARD_PAGES: tuple[dict[str, Any], ...] = (
    {
        "slug": "about",
        "title": "关于平台",
        "show_in_menus": True,
        "intro": "在职党员进社区服务平台服务于在职党员到社区报到为群众服务工作。",
        "body": paragraphs_stream(
            (
                "平台把机关单位、在职党员和社区党组织连在一起：单位推动党员报到，党员到社区报到服务，"
                "社区设立专门窗口接洽登记、建立服务档案。",
                "本站为演示站点，社区信息、电话和新闻（除种子报道外）均为示例数据。",
            )
        ),
    },
    {
        "slug": "help",
        "title": "帮助",
        "show_in_menus": True,
        "intro": "如何到社区报到，如何在本站查找信息。",
        "body": [
            {"type": "heading", "value": {"text": "如何报到", "level": "h2"}},
            *paragraphs_stream(
                (
                    "在“社区导航”中找到要报到的社区，查看报到窗口的位置、开放时间和报到须知；"
                    "携带单位介绍信和身份证到窗口登记即可。",
                )
            ),
            {"type": "heading", "value": {"text": "如何搜索", "level": "h2"}},
            *paragraphs_stream(
                (
                    "在页面顶部的搜索框输入关键词，例如“法律援助”“报到”“爱心联系卡”，"
                    "即可查找新闻、社区和服务品牌。",
                )
            ),
        ],
    },
)


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    return [
        upsert_page(home, StandardPage, slug=spec["slug"], values=without_slug(spec))
        for spec in STANDARD_PAGES
    ]
