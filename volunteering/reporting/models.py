"""Reporting to a community (报到) and the service file (服务档案) it opens."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field


class Report(models.Model):
    class Kind(models.TextChoices):
        LINKED = "linked", _("挂钩联系社区")
        NEARBY_WORKPLACE = "nearby_workplace", _("单位所在社区（就近）")
        RESIDENCE = "residence", _("居住地社区（就地）")
        VOLUNTARY = "voluntary", _("自愿报到")

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    ACTIVE_STATES = (State.PENDING, State.CONFIRMED)

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("报到类型"), max_length=20, choices=Kind.choices)
    is_primary = models.BooleanField(_("主报到社区"), default=False)
    note = models.TextField(_("说明"), blank=True, max_length=500)
    state = state_field(State, State.PENDING)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报到时间"), auto_now_add=True, db_index=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("报到")
        verbose_name_plural = _("报到")
        constraints = [
            # The same report twice is refused: one live report per member and community.
            models.UniqueConstraint(
                fields=["member", "community"],
                condition=Q(state__in=["pending", "confirmed"]),
                name="report_one_active_per_member_community",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(is_primary=True, state__in=["pending", "confirmed"]),
                name="report_one_primary_per_member",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"], name="report_community_state")]

    def __str__(self):
        return f"{self.member} → {self.community}"


class ServiceFile(models.Model):
    """The member service file (在职党员服务档案) a community opens when it confirms a report."""

    # The report whose confirmation opened the file; a later report to the same community
    # (after a return or withdrawal) reuses the file.
    report = models.ForeignKey(
        Report,
        verbose_name=_("报到"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="service_files",
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="service_files",
    )
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="service_files",
    )
    opened_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    notes = models.TextField(_("随记随访"), blank=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("服务档案")
        verbose_name_plural = _("服务档案")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"], name="service_file_one_per_member_community"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.community}"
