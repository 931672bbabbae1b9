"""The admin action "起草工作报告": a page showing the opening paragraph the live figures make
(截至目前，全市共有…), and a button that creates the draft news page in the city channel and
opens it in the page editor, for the editor to finish and submit through approval."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from news.report_drafts import (
    NO_CITY_CHANNEL,
    NOT_ALLOWED,
    can_draft_report,
    city_news_channel,
    might_draft_report,
    report_draft_create,
    report_draft_opening,
)
from portal.page_tree_cache import tree_cached

URL_NAME = "volunteering_report_draft"
DRAFT_CREATED = gettext_lazy("已生成报告草稿“%(title)s”，请补充正文后提交审核。")


def report_draft_view(request):
    """GET: the paragraph as it would be drafted now. POST: draft it and open the editor."""
    channel = city_news_channel()
    if channel is None:
        raise PermissionDenied(NO_CITY_CHANNEL)
    if not can_draft_report(user=request.user, channel=channel):
        raise PermissionDenied(NOT_ALLOWED)
    if request.method == "POST":
        page = report_draft_create(channel=channel, by=request.user)
        messages.success(request, DRAFT_CREATED % {"title": page.title})
        return redirect("wagtailadmin_pages:edit", page.pk)
    context = {
        "page_title": _("起草工作报告"),
        "header_title": _("起草工作报告"),
        "header_icon": "doc-full",
        "channel": channel,
        "opening": report_draft_opening(),
        "statistics_url": reverse("figures:statistics"),
    }
    return TemplateResponse(request, "news/report_draft.html", context)


def admin_urls():
    return [path("report-draft/", report_draft_view, name=URL_NAME)]


class ReportDraftMenuItem(MenuItem):
    """Shown to those who may add news in the city channel (editors, the city). On every admin
    page, the channel is read from the page tree's cache (the draft itself is made in the
    channel read afresh, `report_draft_view`)."""

    def is_shown(self, request):
        return might_draft_report(request.user) and can_draft_report(
            user=request.user, channel=tree_cached("city-news-channel", city_news_channel)
        )


def report_draft_menu_item() -> MenuItem:
    return ReportDraftMenuItem(
        gettext_lazy("起草工作报告"),
        reverse(URL_NAME),
        name="report-draft",
        icon_name="doc-full",
        order=260,
    )
