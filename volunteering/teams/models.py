"""Service teams (服务队, 组团式服务) of a community or an organisation, and who is in them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord
from workflows.statemachine import state_field


class Team(models.Model):
    """A service team (服务队, 组团式服务) of members with the same expertise."""

    name = models.CharField(_("队伍名称"), max_length=120)
    expertise = models.ForeignKey(
        "volunteering.Skill",
        verbose_name=_("专长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    description = models.TextField(_("简介"), blank=True)
    community = models.ForeignKey(
        "volunteering.CommunityPage",
        verbose_name=_("所属社区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teams",
    )
    organisation = models.ForeignKey(
        "volunteering.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teams",
    )
    leader = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("队长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["name"]
        verbose_name = _("服务队")
        verbose_name_plural = _("服务队")
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False) | Q(organisation__isnull=False),
                name="team_belongs_to_community_or_organisation",
            )
        ]

    def __str__(self):
        return self.name

    def related_history(self):
        """The history a team's timeline also shows: its memberships (who asked to join, who
        was let in or left), each named by its member."""
        return [(TeamMembership.history.filter(team_id=self.pk), "member")]


class TeamMembership(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("申请中")
        APPROVED = "approved", _("已加入")
        DECLINED = "declined", _("未通过")
        LEFT = "left", _("已退出")

    team = models.ForeignKey(
        Team, verbose_name=_("服务队"), on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("在职党员"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    state = state_field(State, State.REQUESTED)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("服务队成员")
        verbose_name_plural = _("服务队成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=Q(state__in=["requested", "approved"]),
                name="team_one_active_membership",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.team}"
