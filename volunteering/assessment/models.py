"""Two-way management (双向管理): the year-end assessment of members by their communities
(考核评定), the reminders organisations send to members who have not reported, and the
demonstration communities (示范点) the city designates per county and year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field


class Assessment(models.Model):
    """One community's assessment of one member for one year. Its state is written only by
    `volunteering.assessment.workflows.ASSESSMENT_WORKFLOW`: once submitted it is locked, and only
    the city can reopen it (with a reason, kept in the history)."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        COMPETENT = "competent", _("称职")
        BASICALLY_COMPETENT = "basic", _("基本称职")
        INCOMPETENT = "incompetent", _("不称职")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        REOPENED = "reopened", _("退回修改")

    EDITABLE_STATES = (State.DRAFT, State.REOPENED)

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    grade = models.CharField(_("评定等次"), max_length=20, choices=Grade.choices, blank=True)
    comment = models.TextField(_("评语"), blank=True, max_length=2000)
    state = state_field(State, State.DRAFT)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-year", "community", "member"]
        verbose_name = _("年度考核评定")
        verbose_name_plural = _("年度考核评定")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community", "year"], name="assessment_one_per_member_year"
            )
        ]
        indexes = [models.Index(fields=["community", "year"], name="assessment_community_year")]

    def __str__(self):
        return f"{self.member} · {self.community} · {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.SUBMITTED


class ReportReminder(models.Model):
    """A reminder to report (报到提醒) an organisation admin sent a member: kept so that the
    same member is not reminded twice within a day."""

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("报到提醒")
        verbose_name_plural = _("报到提醒")
        indexes = [models.Index(fields=["member", "sent_at"], name="report_reminder_member")]

    def __str__(self):
        return f"{self.member} · {self.sent_at:%Y-%m-%d}"


# The report: three to five demonstration communities per county and year.
DEMONSTRATION_MIN = 3
DEMONSTRATION_MAX = 5


def demonstration_cache_key(year: int) -> str:
    """Where the ids of `year`'s demonstration communities are cached (assessment.selectors)."""
    return f"assessment:demonstrations:{year}"


class DemonstrationCommunity(models.Model):
    """A community the city designated a demonstration community (示范点) for a year; three to
    five per county and year. The county is kept with the row so that it can be counted and
    locked without walking the page tree."""

    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="demonstration_years",
    )
    county = models.ForeignKey(
        "volunteering.CountyPage",
        verbose_name=_("县（市、区）"),
        on_delete=models.CASCADE,
        related_name="demonstration_communities",
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("认定时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-year", "county", "community"]
        verbose_name = _("示范点")
        verbose_name_plural = _("示范点")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="demonstration_one_per_community_year"
            )
        ]
        indexes = [models.Index(fields=["county", "year"], name="demonstration_county_year")]

    def __str__(self):
        return f"{self.community} · {self.year}"
