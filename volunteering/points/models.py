"""Dedication points (奉献积分) and star ratings (星级管理).

Points are an append-only ledger (`PointEntry`): an entry is never changed or deleted; a
mistake is put right by a new entry with a reason. Each award stores its amount when it is made,
from the `PointRule` in force on the day of the deed, so a change of rules applies from its date
and never rewrites the past. Stars (1–5) come from a member's points over the last 365 days by
the thresholds the city sets (`StarThresholds`)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from volunteering.voice.models import Feedback
from workflows.history import TransitionRecord

LEDGER_IS_APPEND_ONLY = _(
    "积分记录只能新增，不能修改或删除；如需更正，请新增一条更正记录并写明原因。"
)
RULE_IN_USE = _("该规则已用于计分，不能再修改；请新增一条规则并设置生效日期。")
THRESHOLDS_NOT_ASCENDING = _("各星级的积分门槛必须逐级递增。")

# The reasons the system gives an entry, stored as a code with its parameters (the activity's
# title, the hours...) and shown in the reader's language (`point_reason_text`). "reversed"
# holds the code, parameters and words of the entry it takes back.
POINT_REASONS = {
    "attended": _("参加活动“%(title)s” %(hours)s 小时"),
    "no_show": _("报名活动“%(title)s”后缺席"),
    "hours_changed": _("活动“%(title)s”的服务时长改为 %(hours)s 小时"),
    "pledge_fulfilled": _("履行岗位承诺“%(post)s”"),
    "feedback_resolved": _("办结居民诉求（%(kind)s）"),
    "reversed": _("撤销：%(reason)s"),
}


def point_reason_text(code: str, params: dict | None = None, words: str = "") -> str:
    """What a reader reads for an entry's reason: its code in the active language with its
    parameters, else the words staff wrote (an unknown code or broken parameters show the
    words, or the code, never an error)."""
    template = POINT_REASONS.get(code) if code else None
    if template is None:
        return words or code or ""
    values = dict(params or {})
    if code == "reversed":
        values["reason"] = point_reason_text(
            values.get("code", ""), values.get("params"), values.get("words", "")
        )
    if code == "feedback_resolved" and values.get("kind") in Feedback.Kind.values:
        values["kind"] = Feedback.Kind(values["kind"]).label
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return words or code


class PointRule(models.Model):
    """How many points a kind of deed earns, from a date on. The city adds a new rule (with a
    later `valid_from`) to change an amount: entries already made keep theirs."""

    class Key(models.TextChoices):
        HOURS_ATTENDED = "hours_attended", _("参加活动（每小时）")
        PLEDGE_FULFILLED = "pledge_fulfilled", _("履行领岗承诺")
        FEEDBACK_RESOLVED = "feedback_resolved", _("办结居民诉求（已解决）")
        NO_SHOW = "no_show", _("报名后缺席（扣分）")

    key = models.CharField(_("积分项目"), max_length=30, choices=Key.choices)
    amount = models.DecimalField(
        _("分值"),
        max_digits=6,
        decimal_places=1,
        help_text=_("参加活动按每小时计；扣分项填负数。"),
    )
    valid_from = models.DateField(
        _("生效日期"), help_text=_("自该日起发生的事项按本规则计分；之前的记录不受影响。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    panels = [FieldPanel("key"), FieldRowPanel([FieldPanel("amount"), FieldPanel("valid_from")])]

    class Meta:
        ordering = ["key", "-valid_from"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="pointrule_one_per_day")
        ]

    def __str__(self):
        return f"{self.get_key_display()} {self.amount:+} ({self.valid_from:%Y-%m-%d})"

    def clean(self):
        """A rule that has priced entries stays as it was: changes are new rules."""
        if self.pk is None or not self.entries.exists():
            return
        stored = PointRule.objects.get(pk=self.pk)
        fields = ("key", "amount", "valid_from")
        if any(getattr(stored, name) != getattr(self, name) for name in fields):
            raise ValidationError(RULE_IN_USE)


class PointEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(LEDGER_IS_APPEND_ONLY)

    def delete(self):
        raise ValidationError(LEDGER_IS_APPEND_ONLY)

    def since(self, moment):
        return self.filter(earned_at__gte=moment)


class PointEntry(models.Model):
    """One line of a member's points: an award, its reversal, or a correction by staff."""

    class Kind(models.TextChoices):
        AWARD = "award", _("计分")
        CORRECTION = "correction", _("更正")

    MANUAL_KEY = "manual"

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="point_entries",
    )
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="point_entries",
    )
    amount = models.DecimalField(_("积分"), max_digits=8, decimal_places=1)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.AWARD)
    rule = models.ForeignKey(
        PointRule,
        verbose_name=_("积分规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    # The rule's key (or "manual"): what the entry counts, kept even for reversals.
    rule_key = models.CharField(_("积分项目"), max_length=30)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # Staff's own words (a manual correction); a reason the system gave is a code instead.
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    reason_code = models.CharField(_("原因代码"), max_length=30, blank=True, default="")
    reason_params = models.JSONField(_("原因参数"), default=dict, blank=True)
    # When the deed was done (the activity's start, the day a pledge was fulfilled): the rule in
    # force then sets the amount, and the rolling year counts from it.
    earned_at = models.DateTimeField(_("发生时间"), default=timezone.now)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PointEntryQuerySet.as_manager()
    # The ledger is its own record of what happened; history is kept as on every plain model
    # (one row per entry, since an entry is never changed).
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-earned_at", "-pk"]
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        indexes = [
            models.Index(fields=["member", "created_at"], name="pointentry_member_created"),
            models.Index(fields=["community", "created_at"], name="pointentry_comm_created"),
            models.Index(fields=["member", "earned_at"], name="pointentry_member_earned"),
            models.Index(fields=["community", "earned_at"], name="pointentry_comm_earned"),
            # The ledger's order (the city's admin list reads its first page along it)
            models.Index(fields=["earned_at", "id"], name="pointentry_earned"),
            models.Index(fields=["source_type", "source_id"], name="pointentry_source"),
        ]
        constraints = [
            # One award per source object, rule key and member: a replayed transition finds it
            # and adds nothing. Reversals and reinstatements are corrections.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "rule_key", "member"],
                condition=Q(kind="award"),
                name="pointentry_one_award_per_source",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.amount:+} · {self.reason_text}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(LEDGER_IS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(LEDGER_IS_APPEND_ONLY)

    @property
    def reason_text(self) -> str:
        return point_reason_text(self.reason_code, self.reason_params, self.reason)

    def get_reason_display(self) -> str:  # what the admin's inspect view shows for "reason"
        return self.reason_text


DEFAULT_THRESHOLDS = (0, 20, 50, 100, 200)


@register_setting(icon="pick")
class StarThresholds(BaseGenericSetting):
    """The points over the last 365 days a member needs for each star (星级管理)."""

    one_star = models.DecimalField(_("一星"), max_digits=8, decimal_places=1, default=Decimal(0))
    two_stars = models.DecimalField(_("二星"), max_digits=8, decimal_places=1, default=Decimal(20))
    three_stars = models.DecimalField(
        _("三星"), max_digits=8, decimal_places=1, default=Decimal(50)
    )
    four_stars = models.DecimalField(
        _("四星"), max_digits=8, decimal_places=1, default=Decimal(100)
    )
    five_stars = models.DecimalField(
        _("五星"), max_digits=8, decimal_places=1, default=Decimal(200)
    )

    panels = [
        FieldPanel("one_star"),
        FieldPanel("two_stars"),
        FieldPanel("three_stars"),
        FieldPanel("four_stars"),
        FieldPanel("five_stars"),
    ]

    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        verbose_name = _("星级门槛")

    @property
    def thresholds(self) -> tuple[Decimal, ...]:
        return (self.one_star, self.two_stars, self.three_stars, self.four_stars, self.five_stars)

    def clean(self):
        values = self.thresholds
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValidationError(THRESHOLDS_NOT_ASCENDING)

    def stars_for(self, points: Decimal) -> int:
        """How many thresholds `points` reaches: 0 (below the first) to 5."""
        return sum(1 for threshold in self.thresholds if points >= threshold)
