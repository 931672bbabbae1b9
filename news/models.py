"""News channels (栏目) and news items, modelled on the report's own page."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.sharing import SharingMixin
from workflows.editorial import EditorialWorkflowMixin
from workflows.models import EditorialWorkflow

NEWS_PER_PAGE = 15
MAX_TAG_LENGTH = 100


class NewsIndexPage(EditorialWorkflowMixin, RoutablePageMixin, SharingMixin, Page):
    """A channel (栏目): lists its news, newest first, with tag filter and rankings."""

    intro = models.TextField(_("栏目简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["portal.HomePage", "volunteering.CommunityPage"]
    subpage_types = ["news.NewsPage"]

    def get_editorial_kind(self) -> str:
        """A community's own channel needs only its community's review; the city's, both."""
        parent = self.get_parent() if self.path else None
        if parent is not None and parent.specific_class._meta.label == "volunteering.CommunityPage":
            return EditorialWorkflow.Kind.COMMUNITY
        return super().get_editorial_kind()

    class Meta:
        verbose_name = _("新闻栏目")
        verbose_name_plural = _("新闻栏目")

    def get_meta_description(self):
        return self.search_description or self.intro

    def news_items(self, tag: str = ""):
        from news.selectors import channel_news

        return channel_news(channel=self, tag=tag)

    @path("rss/", name="rss")
    def rss_feed(self, request):
        from news.feeds import NewsRssFeed

        return NewsRssFeed()(request, channel=self)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        from news.feeds import NewsAtomFeed

        return NewsAtomFeed()(request, channel=self)

    def get_context(self, request, *args, **kwargs):
        from news.selectors import ChannelPaginator, channel_rankings

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:MAX_TAG_LENGTH]
        paginator = ChannelPaginator(self.news_items(tag=tag), NEWS_PER_PAGE, channel=self, tag=tag)
        # get_page() turns a missing, malformed or out-of-range number into a real page.
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            news_items=page_obj.object_list,
            current_tag=tag,
            rankings=channel_rankings(channel=self, request=request),
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(EditorialWorkflowMixin, SharingMixin, Page):
    """One news item: the report's page is the model (source, bylines, responsible editor)."""

    og_type = "article"

    date = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    source = models.CharField(_("来源"), max_length=120, blank=True)
    responsible_editor = models.CharField(_("责编"), max_length=60, blank=True)
    lead = models.TextField(_("导语"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("标签"))
    related_communities = ParentalManyToManyField(
        "volunteering.CommunityPage",
        blank=True,
        related_name="related_news",
        verbose_name=_("相关社区"),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("source"),
                InlinePanel("bylines", label=_("特约记者"), min_num=0),
                FieldPanel("responsible_editor"),
            ],
            heading=_("发布信息"),
        ),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("related_communities")],
            heading=_("分类"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("source"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")

    def get_meta_description(self):
        return self.search_description or self.lead or self.body_text()

    def body_text(self) -> str:
        """The paragraphs as plain text, read from the raw stream so no block (and no image in
        it) is loaded from the database: feeds call this for every item."""
        from django.utils.html import strip_tags

        parts = [b["value"] for b in self.body.raw_data if b["type"] == "paragraph"]
        return strip_tags(" ".join(parts))

    def serve(self, request, *args, **kwargs):
        from news.services import page_view_record

        page_view_record(page=self, request=request)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from news.selectors import news_page_neighbours, page_view_counts

        context = super().get_context(request, *args, **kwargs)
        context["channel"] = self.get_parent()
        context["related_communities"] = [c for c in self.related_communities.all() if c.live]
        context["views"] = page_view_counts(page=self)
        context["previous_item"], context["next_item"] = news_page_neighbours(page=self)
        return context


class NewsByline(Orderable):
    """A correspondent (特约记者) credited on a news item."""

    page = ParentalKey(NewsPage, related_name="bylines", on_delete=models.CASCADE)
    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("身份"), max_length=30, default="特约记者", blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("署名")
        verbose_name_plural = _("署名")

    def __str__(self):
        return self.name


class NewsPageDailyViews(models.Model):
    """Views of one news item on one day, written in batches from the cache (not per view)."""

    page = models.ForeignKey(NewsPage, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("浏览量"), default=0)

    class Meta:
        verbose_name = _("每日浏览量")
        verbose_name_plural = _("每日浏览量")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="news_daily_views_page_day")
        ]
        indexes = [models.Index(fields=["day", "page"], name="news_daily_views_day_page")]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.count}"
