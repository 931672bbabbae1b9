"""Residents' voice (听取群众意见建议): what residents ask of their community — suggestions,
requests for help with a practical difficulty, disputes to mediate — tracked until closed; and
the good deeds (办好事实事) staff record.

A resident's name and phone are private: only that community's staff and the city see them
(`volunteering.scopes`); the public status page shows the kind, state, dates and outcome note."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field

# No 0/O, 1/I/L: a code read aloud over the phone or copied from paper stays unambiguous.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10  # 31**10 ≈ 8·10**14 codes: not guessable, and lookups are rate-limited


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(text: str) -> str:
    """What a resident types (lower case, spaces, the dash we print) → the stored code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def readable_receipt_code(code: str) -> str:
    """ABCDE-FGHJK: easier to read out and copy than ten letters in a row."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""


class FeedbackQuerySet(models.QuerySet):
    def heard(self):
        """Taken up by the community (accepted, assigned or closed): not still waiting to be
        triaged, and not turned down as spam or a duplicate."""
        return self.filter(state__in=Feedback.HEARD_STATES)

    def solved(self):
        """Closed with the outcome "resolved" (化解/解决)."""
        return self.filter(state=Feedback.State.CLOSED, outcome=Feedback.Outcome.RESOLVED)

    def open(self):
        return self.filter(state__in=Feedback.OPEN_STATES)


class Feedback(models.Model):
    """One item a resident raised (居民诉求): online, or heard by staff on a visit, in a
    questionnaire, at a forum, on the phone."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("意见建议")
        HELP = "help", _("困难求助")
        DISPUTE = "dispute", _("矛盾纠纷")

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上留言")
        VISIT = "visit", _("入户走访")
        QUESTIONNAIRE = "questionnaire", _("问卷调查")
        FORUM = "forum", _("民情恳谈会")
        PHONE = "phone", _("电话")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        ASSIGNED = "assigned", _("已分派")
        CLOSED = "closed", _("已办结")
        REJECTED = "rejected", _("不予受理")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("已解决（化解）")
        ANSWERED = "answered", _("已答复")
        REFERRED = "referred", _("已转交")

    HEARD_STATES = (State.ACCEPTED, State.ASSIGNED, State.CLOSED)
    OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.ASSIGNED)

    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    text = models.TextField(_("内容"), max_length=2000)
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    code = models.CharField(_("回执码"), max_length=RECEIPT_LENGTH, unique=True, editable=False)
    heard_on = models.DateField(_("收集日期"), default=timezone.localdate)
    state = state_field(State, State.SUBMITTED)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    assigned_member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("承办党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
    )
    assigned_team = models.ForeignKey(
        "volunteering.Team",
        verbose_name=_("承办服务队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
    )
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("答复"), blank=True, help_text=_("公开显示在进度查询页面。"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)
    # When the city was told that no one accepted it in time (`alerts.services`); once only.
    escalated_at = models.DateTimeField(_("上报市级时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[TransitionRecord])

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("居民诉求")
        verbose_name_plural = _("居民诉求")
        indexes = [
            models.Index(fields=["community", "state"], name="feedback_community_state"),
            models.Index(fields=["community", "heard_on"], name="feedback_community_heard"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(outcome=""), name="feedback_closed_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(state="assigned")
                | Q(assigned_member__isnull=False)
                | Q(assigned_team__isnull=False),
                name="feedback_assigned_has_assignee",
            ),
        ]

    def __str__(self):
        # Also the label of its audit-log entries: never the resident's name or phone.
        return f"{self.get_kind_display()} {self.readable_code}"

    @property
    def readable_code(self) -> str:
        return readable_receipt_code(self.code)

    @property
    def assignee(self):
        return self.assigned_member or self.assigned_team


class GoodDeed(models.Model):
    """A good deed done for residents (办好事实事), recorded by the community's staff."""

    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="good_deeds",
    )
    title = models.CharField(_("事项"), max_length=120)
    done_on = models.DateField(_("办理日期"), default=timezone.localdate)
    members = models.ManyToManyField(
        "volunteering.Member",
        verbose_name=_("参与党员"),
        blank=True,
        related_name="good_deeds",
    )
    teams = models.ManyToManyField(
        "volunteering.Team", verbose_name=_("参与服务队"), blank=True, related_name="good_deeds"
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-done_on", "-created_at"]
        verbose_name = _("好事实事")
        verbose_name_plural = _("好事实事")
        indexes = [models.Index(fields=["community", "done_on"], name="gooddeed_community_done")]

    def __str__(self):
        return self.title
