"""A letter or notice (信/通知) and its deliveries, one per recipient.

A letter is a Wagtail snippet with drafts, revisions, locking and the editorial workflow: the
city's letters go through the city's workflow (编辑部审核 → 发布审批) and can be sent only once
published by it; an organisation's or a community's notices have no workflow, their staff
publish and send them directly. Wagtail's revisions and audit log keep their history (the
send and every resend are logged actions, `volunteering.letter.send`)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from workflows.editorial import editorial_workflow
from workflows.models import EditorialWorkflow

LETTER_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class Letter(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    class Sender(models.TextChoices):
        CITY = "city", _("市级")
        ORGANISATION = "organisation", _("单位")
        COMMUNITY = "community", _("社区")

    class Audience(models.TextChoices):
        ALL = "all", _("全市在职党员")
        ORGANISATION = "organisation", _("单位的在职党员")
        COMMUNITY = "community", _("报到到社区的在职党员")
        TEAM = "team", _("服务队成员")
        ACTIVITY = "activity", _("活动的报名者")

    title = models.CharField(_("标题"), max_length=120)
    body = RichTextField(_("正文"), features=LETTER_FEATURES)
    signature = models.CharField(
        _("落款"), max_length=120, blank=True, help_text=_("例如：中共XX市委组织部")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender = models.CharField(_("发信方"), max_length=20, choices=Sender.choices)
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("发信单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("发信社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    audience = models.CharField(_("收信人"), max_length=20, choices=Audience.choices)
    audience_organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("收信单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("收信社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_team = models.ForeignKey(
        "volunteering.Team",
        verbose_name=_("收信服务队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_activity = models.ForeignKey(
        "volunteering.ActivityPage",
        verbose_name=_("收信活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_email = models.BooleanField(_("同时发送电子邮件"), default=False)
    by_text = models.BooleanField(_("同时发送短信"), default=False)
    public = models.BooleanField(
        _("在宣传栏公开"),
        default=False,
        help_text=_("居民扫描打印张贴的通知上的二维码，无需登录即可阅读全文。"),
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When a send asked for the deliveries; cleared by the fan-out that began after it, once
    # every recipient has one (`sending.letter_fan_out`).
    fan_out_queued_at = models.DateTimeField(
        _("收信记录待生成"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="letter")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="letter",
        for_concrete_model=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知信件")
        verbose_name_plural = _("通知信件")

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def get_workflow(self):
        """The city's letters go through the city's editorial workflow (or one assigned to
        letters in Wagtail's Workflows admin); organisations and communities send their own
        notices directly."""
        if self.sender != self.Sender.CITY:
            return None
        return super().get_workflow() or editorial_workflow(EditorialWorkflow.Kind.CITY)

    @property
    def sender_name(self) -> str:
        if self.signature:
            return self.signature
        if self.sender == self.Sender.ORGANISATION and self.organisation_id:
            return str(self.organisation)
        if self.sender == self.Sender.COMMUNITY and self.community_id:
            return self.community.title
        return str(_("市级"))


class DeliveryQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(status=Delivery.Status.QUEUED)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Delivery(models.Model):
    """A letter to one member: always in their inbox, and by email and text message where the
    letter asks for them and the member has an address. `status` is the sum of the channels:
    queued while one waits, failed if one failed, else sent."""

    # A log row, not content: Wagtail's reference index (the admin's usage counts) has nothing
    # to learn from it, and would queue a task on every save.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    class Channel(models.TextChoices):
        NONE = "", _("不发送")
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    letter = models.ForeignKey(
        Letter, verbose_name=_("信件"), on_delete=models.CASCADE, related_name="deliveries"
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("收信人"),
        on_delete=models.CASCADE,
        related_name="letter_deliveries",
    )
    status = models.CharField(
        _("发送状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    email_status = models.CharField(
        _("邮件"), max_length=10, choices=Channel.choices, default="", blank=True
    )
    text_status = models.CharField(
        _("短信"), max_length=10, choices=Channel.choices, default="", blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    queued_at = models.DateTimeField(_("排队时间"), db_index=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # A drain's claim on a queued delivery while it sends (`sending.deliveries_drain`).
    claim = models.UUIDField(_("发送批次"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("信件送达")
        verbose_name_plural = _("信件送达")
        constraints = [
            models.UniqueConstraint(fields=["letter", "member"], name="delivery_once_per_member")
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="delivery_status_queued"),
            models.Index(
                fields=["member", "letter"],
                condition=Q(read_at__isnull=True),
                name="delivery_member_unread",
            ),
        ]

    def __str__(self):
        return f"{self.letter} → {self.member}"
