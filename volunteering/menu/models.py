"""The service menu (服务菜单: 社区所需, 党员所长): needs and claims, posts and pledges."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field


class Need(models.Model):
    """Something a community needs, published on its service menu for members to claim."""

    class State(models.TextChoices):
        OPEN = "open", _("招募中")
        CLOSED = "closed", _("已结束")

    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    title = models.CharField(_("需求名称"), max_length=120)
    description = models.TextField(_("需求说明"), blank=True)
    skills = models.ManyToManyField(
        "volunteering.Skill", verbose_name=_("所需特长"), blank=True, related_name="needs"
    )
    places = models.PositiveSmallIntegerField(_("需要人数"), default=1)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    state = state_field(State, State.OPEN)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord], excluded_fields=["skills"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")
        indexes = [models.Index(fields=["community", "state"], name="need_community_state")]

    def __str__(self):
        return self.title


class NeedClaim(models.Model):
    """A member's claim (认领) of a need; staff confirm it and record the outcome."""

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")
        DONE = "done", _("已完成")

    ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.DONE)

    need = models.ForeignKey(
        Need, verbose_name=_("服务需求"), on_delete=models.CASCADE, related_name="claims"
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    state = state_field(State, State.PENDING)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    outcome = models.TextField(_("服务结果"), blank=True)
    created_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("需求认领")
        verbose_name_plural = _("需求认领")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "member"],
                condition=Q(state__in=["pending", "confirmed", "done"]),
                name="claim_one_active_per_member_need",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.need}"


class Post(models.Model):
    """A post (岗位) a community defines, e.g. building liaison or civility guide."""

    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="posts",
    )
    title = models.CharField(_("岗位名称"), max_length=120)
    description = models.TextField(_("岗位职责"), blank=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["community", "title"]
        verbose_name = _("服务岗位")
        verbose_name_plural = _("服务岗位")

    def __str__(self):
        return self.title


class PostPledge(models.Model):
    """A member's pledge (领岗承诺) to a post for a period, accepted by staff."""

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")
        FULFILLED = "fulfilled", _("已履行")

    post = models.ForeignKey(
        Post, verbose_name=_("服务岗位"), on_delete=models.CASCADE, related_name="pledges"
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="pledges",
    )
    commitment = models.TextField(_("承诺内容"), max_length=1000)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = state_field(State, State.PENDING)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("承诺时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("领岗承诺")
        verbose_name_plural = _("领岗承诺")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pledge_period_in_order"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.post}"
