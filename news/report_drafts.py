"""Drafting a report (起草工作报告): a draft news page in the city channel whose first paragraph
states the live figures the way the programme's report opens (截至目前，全市共有…). The draft is
never published here: an editor finishes it and sends it through the editorial workflow."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry
from wagtail.rich_text import RichText

from portal.slugs import readable_slug, unique_sibling_slug
from volunteering.figures.selectors import figures, report_opening

NO_CITY_CHANNEL = _("没有找到全市的新闻栏目（首页下的“news”栏目），无法起草报告。")
NOT_ALLOWED = _("您没有在全市新闻栏目中新建新闻的权限。")
DRAFT_TITLE = _("全市在职党员到社区报到为群众服务工作情况（%(date)s）")


def city_news_channel():
    """The city's news channel: the channel at home/news of the default site, else the first
    channel directly under the home page; None when there is none."""
    from news.models import NewsIndexPage

    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        return None
    channels = NewsIndexPage.objects.child_of(site.root_page).order_by("path")
    return channels.filter(slug="news").first() or channels.first()


# The city channel sits just under the site's home page, which is at depth 2 (under the tree's
# root), as `portal.draft_privacy` counts it.
CHANNEL_DEPTH = 3


def might_draft_report(user) -> bool:
    """Whether `user` could add a page in the city channel, judged from the page permissions
    Wagtail has already read for this user: only a permission on the channel or above it can
    reach it. The admin menu asks on every admin page, so community staff (whose permissions
    are on their community's branch) are answered without a query. A yes is checked exactly."""
    if user.is_superuser:
        return user.is_active
    permissions = policy_registry.get_by_type(Page).get_cached_permissions_for_user(user)
    return any(
        permission.page.depth <= CHANNEL_DEPTH
        for permission in permissions
        if permission.permission.codename == "add_page"
    )


def can_draft_report(*, user, channel) -> bool:
    return channel is not None and channel.permissions_for_user(user).can_add_subpage()


def report_draft_opening() -> str:
    """The first paragraph, with the city's live figures."""
    return report_opening(figures())


@transaction.atomic
def report_draft_create(*, channel, by):
    """Create the draft (not live) under `channel`, owned by `by`, with a first revision and a
    "created" entry in the audit log, as Wagtail's own create view leaves them."""
    from news.models import NewsPage

    if not can_draft_report(user=by, channel=channel):
        raise PermissionDenied(NOT_ALLOWED)
    today = timezone.localdate()
    title = DRAFT_TITLE % {"date": f"{today.year}年{today.month}月{today.day}日"}
    page = NewsPage(
        title=title,
        slug=unique_sibling_slug(readable_slug(title), parent=channel),
        live=False,
        owner=by,
        body=[("paragraph", RichText(f"<p>{escape(report_draft_opening())}</p>"))],
    )
    channel.add_child(instance=page)
    revision = page.save_revision(user=by, log_action=False)
    log(instance=page, action="wagtail.create", user=by, revision=revision, content_changed=True)
    return page
