"""Activities (pages under their community), their listing and their themes; members' sign-ups
to them are in `volunteering.signups.models`."""

import secrets

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.sharing import SharingMixin
from workflows.editorial import EditorialWorkflowMixin
from workflows.history import TransitionRecord
from workflows.models import EditorialWorkflow


def new_checkin_code() -> str:
    return secrets.token_urlsafe(9)


class Theme(models.Model):
    """A themed campaign (主题活动) that groups activities, e.g. 党员为居民服务，党旗在社区飘扬."""

    title = models.CharField(_("主题"), max_length=120, unique=True)
    slogan = models.CharField(_("口号"), max_length=120, blank=True)
    description = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["title"]
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")

    def __str__(self):
        return self.title


class ActivityPage(EditorialWorkflowMixin, RoutablePageMixin, SharingMixin, Page):
    """A service activity of a community: published, previewed and moderated like any page.

    Members act on it through its routes (POST, CSRF): `signup/`, `cancel/` and `checkin/`
    (reached by scanning the QR code that staff show from `checkin-qr/`)."""

    theme = models.ForeignKey(
        Theme,
        verbose_name=_("所属主题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    summary = models.TextField(_("活动简介"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("活动详情"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("活动地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"), help_text=_("可报名的人数。"))
    signup_opens_at = models.DateTimeField(_("报名开始时间"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    cancel_deadline = models.DateTimeField(
        _("取消报名截止时间"), null=True, blank=True, help_text=_("留空则开始前都可取消。")
    )
    skills = ParentalManyToManyField(
        "volunteering.Skill", verbose_name=_("所需特长"), blank=True, related_name="activities"
    )
    team = models.ForeignKey(
        "volunteering.Team",
        verbose_name=_("仅限服务队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("选择后只有该服务队的成员可以报名。"),
    )
    needs_approval = models.BooleanField(_("报名需审核"), default=False)
    checkin_code = models.CharField(
        _("签到码"), max_length=20, default=new_checkin_code, editable=False, unique=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
            ],
            heading=_("时间地点"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
                FieldPanel("cancel_deadline"),
                FieldPanel("needs_approval"),
                FieldPanel("team"),
                FieldPanel("skills"),
            ],
            heading=_("报名"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("place"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["volunteering.CommunityPage"]
    subpage_types = []
    editorial_kind = EditorialWorkflow.Kind.COMMUNITY

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        indexes = [
            # Listings (the API's, the site's) show the activities not yet over: without it,
            # counting them read every page of the site (two thirds of a city's are over).
            models.Index(fields=["ends_at"], name="activity_ends_at"),
        ]

    def get_meta_description(self):
        return self.search_description or self.summary

    @cached_property
    def community(self):
        """The community page above; listings set it for many activities in one query."""
        return self.get_parent().specific

    @property
    def places_left(self) -> int | None:
        """Free places, when a selector has counted them (`places_taken`), else None."""
        taken = getattr(self, "places_taken", None)
        return None if taken is None else max(self.capacity - taken, 0)

    def get_context(self, request, *args, **kwargs):
        from volunteering.activities.selectors import activity_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(activity_page_context(activity=self, user=request.user))
        return context

    @path("signup/", name="signup")
    def signup_route(self, request):
        from volunteering.activities.views import signup

        return signup(request, self)

    @path("cancel/", name="cancel")
    def cancel_route(self, request):
        from volunteering.activities.views import cancel

        return cancel(request, self)

    @path("checkin/", name="checkin")
    def checkin_route(self, request):
        from volunteering.activities.views import checkin

        return checkin(request, self)

    @path("checkin-qr/", name="checkin_qr")
    def checkin_qr_route(self, request):
        from volunteering.activities.views import checkin_qr

        return checkin_qr(request, self)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("结束时间必须晚于开始时间。")
        for name, message in _date_order_errors(self):
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)


# Dates an activity's editor may fill in, and the orders they must keep (an empty one is not
# checked): (earlier field, later field, may they be equal, the message on the later field).
DATE_ORDERS = [
    ("signup_opens_at", "signup_closes_at", False, _("报名截止时间必须晚于报名开始时间。")),
    ("signup_opens_at", "starts_at", False, _("报名开始时间必须早于活动开始时间。")),
    ("signup_closes_at", "starts_at", True, _("报名截止时间不能晚于活动开始时间。")),
    (
        "signup_closes_at",
        "cancel_deadline",
        True,
        _("取消报名截止时间不能早于报名截止时间：报名截止前报名的党员都应能取消。"),
    ),
    ("signup_opens_at", "cancel_deadline", False, _("取消报名截止时间必须晚于报名开始时间。")),
    ("cancel_deadline", "starts_at", True, _("取消报名截止时间不能晚于活动开始时间。")),
]


def _date_order_errors(activity) -> list[tuple[str, str]]:
    """(field, message) for each pair of dates in an impossible order."""
    found = []
    for earlier, later, may_equal, message in DATE_ORDERS:
        first, second = getattr(activity, earlier), getattr(activity, later)
        if first is None or second is None:
            continue
        if second < first or (second == first and not may_equal):
            name = later if later != "starts_at" else earlier
            found.append((name, message))
    return found


class ActivityIndexPage(EditorialWorkflowMixin, RoutablePageMixin, SharingMixin, Page):
    """The city-wide activity listing (活动报名) with filters, and a month calendar
    (`calendar/`, per community with `?community=`)."""

    PER_PAGE = 12

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        from volunteering.activities.views import activity_listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(activity_listing_context(request, per_page=self.PER_PAGE))
        return context

    @path("calendar/", name="calendar")
    def calendar_route(self, request):
        from volunteering.activities.views import month_calendar

        return month_calendar(request, self)
