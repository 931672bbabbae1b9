"""A member's request to close their account (注销账号申请)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field


class AccountClosure(models.Model):
    """A member asks; an admin of their organisation (or the city) confirms or rejects; the
    member may withdraw while it waits. Confirmation anonymises the member
    (`volunteering.privacy.services.member_anonymise`); the request itself is kept, without
    the member's words, as the record that it happened."""

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已注销")
        REJECTED = "rejected", _("未同意")
        WITHDRAWN = "withdrawn", _("已撤回")

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="closure_requests",
    )
    # The organisation whose admins decide: kept on the request, as the member's is when asked.
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="closure_requests",
    )
    reason = models.TextField(_("注销说明"), blank=True, max_length=500)
    state = state_field(State, State.PENDING)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("注销账号申请")
        verbose_name_plural = _("注销账号申请")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="pending"),
                name="closure_one_pending_per_member",
            )
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="closure_org_state")]

    def __str__(self):
        # Also the label of its audit-log entries: the member's name is scrubbed on closure.
        if self.created_at is None:
            return str(self.member)
        return f"{self.member} · {self.created_at:%Y-%m-%d}"
