"""Organisations (机关单位, 窗口和服务行业单位), their members (在职党员) and skills."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from volunteering.people.phones import PhoneNumberField
from workflows.history import TransitionRecord


class Skill(index.Indexed, models.Model):
    """The controlled vocabulary of skills (党员所长), editable by the city in the admin."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["name"]
        verbose_name = _("技能特长")
        verbose_name_plural = _("技能特长")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("机关单位")
        WINDOW = "window", _("窗口单位")
        SERVICE = "service", _("服务行业单位")

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    county = models.ForeignKey(
        "volunteering.CountyPage",
        verbose_name=_("所在县（市、区）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    linked_community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("挂钩联系社区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_organisations",
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位管理员"),
        blank=True,
        related_name="managed_organisations",
    )
    history = HistoricalRecords(bases=[TransitionRecord], excluded_fields=["admins"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        permissions = [("manage_all_communities", _("管理全市所有社区和单位"))]

    def __str__(self):
        return self.name


class Member(models.Model):
    """An employed Party member: one user account, one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="member",
    )
    # Names are stored as written, in any script and of any length: never rejected for form.
    real_name = models.CharField(_("姓名"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    residence_community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("居住地社区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_members",
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("技能特长"), blank=True, related_name="members"
    )
    other_skills = models.CharField(_("其他特长"), max_length=200, blank=True)
    phone = PhoneNumberField(
        _("手机号"),
        max_length=30,
        blank=True,
        help_text=_("仅本人、所报到社区的工作人员和本单位管理员可见。"),
    )
    privacy_consent_at = models.DateTimeField(_("同意隐私声明时间"), null=True, blank=True)
    # The secret in the URL of the member's private calendar feed; made on first use and
    # regenerated to revoke a link that was shared (volunteering.calendars.services).
    calendar_token = models.CharField(
        _("日历订阅密钥"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    hide_from_rankings = models.BooleanField(
        _("不在公开积分排行中显示"),
        default=False,
        help_text=_("选择后，社区和单位的公开积分排行不显示您；工作人员仍可在后台看到。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(
        bases=[TransitionRecord], excluded_fields=["skills", "calendar_token"]
    )

    class Meta:
        ordering = ["organisation", "real_name"]
        verbose_name = _("在职党员")
        verbose_name_plural = _("在职党员")
        indexes = [models.Index(fields=["organisation", "real_name"], name="member_org_name")]

    def __str__(self):
        return self.real_name
