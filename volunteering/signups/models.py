"""A member's sign-up (活动报名) to an activity: its state, its place in the waitlist, check-in
and hours served."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.prepared import PreparedInsert
from workflows.history import TransitionRecord
from workflows.statemachine import state_field

ATTENDED_WITHOUT_HOURS = _("已签到的报名必须填写服务时长。")


class SignUp(PreparedInsert, models.Model):
    # A record, not content: Wagtail's reference index (the admin's usage counts) has nothing to
    # learn from it, and indexing each save cost a sign-up four queries (issue 11).
    wagtail_reference_index_ignore = True

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已报名")
        WAITLISTED = "waitlisted", _("候补")
        REJECTED = "rejected", _("未通过")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已签到")
        NO_SHOW = "no_show", _("缺席")

    # States that hold one of the activity's places.
    HOLDING_STATES = (State.PENDING, State.APPROVED, State.ATTENDED, State.NO_SHOW)

    activity = models.ForeignKey(
        "volunteering.ActivityPage",
        verbose_name=_("活动"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    state = state_field(State, State.PENDING)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    # First come, first served: the waitlist is ordered by when members asked for a place.
    queued_at = models.DateTimeField(_("排队时间"), db_index=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    hours = models.DecimalField(
        _("服务时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # The day-before reminder is sent once per sign-up: this records that it was.
    reminded_at = models.DateTimeField(_("提醒发送时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            # One sign-up per member and activity, whatever its state: a second attempt
            # returns (or revives) the existing one.
            models.UniqueConstraint(fields=["activity", "member"], name="signup_one_per_member")
        ]
        indexes = [models.Index(fields=["activity", "state"], name="signup_activity_state")]

    def __str__(self):
        return f"{self.member} · {self.activity}"

    def clean(self):
        super().clean()
        # Hours are stored when attendance is recorded: readers never work them out.
        if self.state == self.State.ATTENDED and self.hours is None:
            raise ValidationError({"hours": ATTENDED_WITHOUT_HOURS})

    @property
    def holds_place(self) -> bool:
        return self.state in self.HOLDING_STATES
