"""The programme's units as pages: counties (县/市/区) and communities (社区), and the
brand projects (品牌项目) communities run. People and their work come in later models."""

import re

from django.db import models
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.addresses import page_url
from portal.blocks import BodyBlock
from portal.qr import qr_svg
from portal.sharing import SharingMixin
from volunteering.communities.cards import card_layout
from workflows.editorial import EditorialWorkflowMixin
from workflows.models import EditorialWorkflow

# A number a phone can dial as it stands: digits, spaces, dashes, an optional leading +.
DIALABLE_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,}[0-9]$")


class CommunityIndexPage(EditorialWorkflowMixin, SharingMixin, Page):
    """The counties (社区导航), each with its number of communities and a link to its page."""

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["volunteering.CountyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("社区导航")
        verbose_name_plural = _("社区导航")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        from volunteering.communities.selectors import counties_with_community_counts

        context = super().get_context(request, *args, **kwargs)
        context["counties"] = counties_with_community_counts(root=self)
        return context


class CountyPage(EditorialWorkflowMixin, SharingMixin, Page):
    """A county-level unit (县 / 市 / 区)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")
        CITY = "city", _("县级市")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.COUNTY)
    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["volunteering.CommunityIndexPage"]
    subpage_types = ["volunteering.CommunityPage"]

    class Meta:
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communities"] = CommunityPage.objects.live().public().child_of(self)
        return context


class CommunityPage(EditorialWorkflowMixin, SharingMixin, Page):
    """A residential community: its party organisation, service window and reception room."""

    street_or_town = models.CharField(_("所属街道（镇）"), max_length=60, blank=True)
    party_organisation = models.CharField(_("社区党组织"), max_length=120, blank=True)
    intro = models.TextField(_("社区简介"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("社区图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_phone = models.CharField(
        _("办公电话"), max_length=40, blank=True, help_text=_("公开显示的社区办公电话。")
    )
    window_place = models.CharField(_("报到窗口和接待室位置"), max_length=200, blank=True)
    window_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    how_to_report = models.TextField(
        _("报到须知"),
        blank=True,
        help_text=_("在职党员到本社区报到的流程和需要携带的材料。"),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("street_or_town"),
                FieldPanel("party_organisation"),
                FieldPanel("intro"),
                FieldPanel("image"),
            ],
            heading=_("基本信息"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("window_place"),
                FieldPanel("window_hours"),
                InlinePanel("duty_staff", label=_("值班人员")),
                FieldPanel("how_to_report"),
            ],
            heading=_("专门窗口和接待室"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("contact_phone")], heading=_("联系方式")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("street_or_town"),
        index.SearchField("party_organisation"),
        index.SearchField("address"),
    ]
    parent_page_types = ["volunteering.CountyPage"]
    editorial_kind = EditorialWorkflow.Kind.COMMUNITY
    subpage_types = [
        "volunteering.BrandProjectPage",
        "news.NewsIndexPage",
        "volunteering.ActivityPage",
    ]

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")

    def get_meta_description(self):
        return self.search_description or self.intro or self.facts_summary()

    def facts_summary(self) -> str:
        """One sentence of facts, for share cards of communities without an introduction."""
        parts = [" ".join(p for p in (self.street_or_town, self.party_organisation) if p)]
        if self.window_place or self.window_hours:
            where = "，".join(p for p in (self.window_place, self.window_hours) if p)
            parts.append(gettext("报到窗口：%(where)s") % {"where": where})
        if self.contact_phone:
            parts.append(gettext("电话：%(phone)s") % {"phone": self.contact_phone})
        return "。".join(p for p in parts if p)

    @property
    def contact_phone_href(self) -> str:
        """A tel: link when the office phone is one dialable number, else "" (shown as text)."""
        phone = self.contact_phone.strip()
        if not DIALABLE_PHONE.match(phone):
            return ""
        return "tel:" + phone.replace(" ", "").replace("-", "")

    @property
    def county(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        from volunteering.communities.selectors import community_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(community_page_context(community=self, request=request))
        return context


class CommunityDutyStaff(Orderable):
    """Who is on duty at the community's service window (a public contact, not a member's phone)."""

    page = ParentalKey(CommunityPage, related_name="duty_staff", on_delete=models.CASCADE)
    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("职务"), max_length=60, blank=True)
    duty_time = models.CharField(_("值班时间"), max_length=100, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("duty_time")]

    class Meta(Orderable.Meta):
        verbose_name = _("值班人员")
        verbose_name_plural = _("值班人员")

    def __str__(self):
        return self.name


class BrandProjectPage(EditorialWorkflowMixin, RoutablePageMixin, SharingMixin, Page):
    """A service fixed as a named brand (品牌), e.g. 小卡片装载大服务, with printable cards
    (the `print/` route lays them out at card size, each with a QR code back to this page)."""

    CARDS_PER_SHEET = 8  # 2 × 4 cards of 85.6 × 54 mm on A4, with room to cut between them
    MAX_COPIES = 10

    summary = models.TextField(_("简介"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    story = StreamField(BodyBlock(), verbose_name=_("品牌故事"), blank=True)
    featured = models.BooleanField(_("首页推荐"), default=False, db_index=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("summary"), FieldPanel("image"), FieldPanel("featured")],
            heading=_("基本信息"),
        ),
        FieldPanel("story"),
        InlinePanel(
            "cards",
            heading=_("服务卡片"),
            label=_("服务卡片"),
            help_text=_(
                "每张卡片印成 85.6 × 54 毫米，带一个回到本页的二维码。"
                "发布后在本页点击“打印服务卡片”。"
            ),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("story"),
        index.RelatedFields("cards", [index.SearchField("title"), index.SearchField("text")]),
    ]
    parent_page_types = ["volunteering.CommunityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("品牌项目")
        verbose_name_plural = _("品牌项目")

    def get_meta_description(self):
        return self.search_description or self.summary

    @property
    def community(self):
        return self.get_parent().specific

    @path("print/", name="print_cards")
    def print_cards(self, request):
        """The cards at real size on A4 sheets, ready to print and cut (`?copies=` per card)."""
        copies = _bounded_int(request.GET.get("copies"), default=1, high=self.MAX_COPIES)
        cards = [card for card in self.cards.all() for _copy in range(copies)]
        size = self.CARDS_PER_SHEET
        qr_code = qr_svg(
            page_url(self, request), title=gettext("%(title)s 二维码") % {"title": self.title}
        )
        return self.render(
            request,
            template="volunteering/brand_project_page_print.html",
            context_overrides={
                "community": self.community,
                "sheets": [cards[i : i + size] for i in range(0, len(cards), size)],
                "copies": copies,
                "copies_choices": range(1, self.MAX_COPIES + 1),
                "qr_code": mark_safe(qr_code),  # segno escapes the title; the rest is numbers
            },
        )


def _bounded_int(value, *, default: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), high)


class BrandCard(Orderable):
    """One printable card of a brand project (85.6 × 54 mm, with a QR code back to the page)."""

    class Kind(models.TextChoices):
        LOVE_CONTACT = "love_contact", _("爱心联系卡")
        SERVICE_PROCESS = "service_process", _("便民服务流程卡")
        JOB_INFORMATION = "job_information", _("用工信息卡")
        OTHER = "other", _("其他")

    page = ParentalKey(BrandProjectPage, related_name="cards", on_delete=models.CASCADE)
    kind = models.CharField(_("卡片类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("卡片标题"), max_length=60)
    text = models.TextField(
        _("卡片内容"),
        max_length=400,
        help_text=_(
            "印在卡片上：建议不超过 100 字；字多时自动缩小字号，仍放不下的部分以省略号结束。"
        ),
    )
    contact = models.CharField(
        _("联系方式"),
        max_length=120,
        blank=True,
        help_text=_("按工作人员填写原样显示；请勿填写党员个人手机号。"),
    )

    panels = [FieldPanel("kind"), FieldPanel("title"), FieldPanel("text"), FieldPanel("contact")]

    class Meta(Orderable.Meta):
        verbose_name = _("服务卡片")
        verbose_name_plural = _("服务卡片")

    def __str__(self):
        return self.title

    @cached_property
    def print_layout(self):
        """Type sizes and line clamps that make this card's words fit its printed front."""
        return card_layout(title=self.title, text=self.text, contact=self.contact)
