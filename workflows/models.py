"""Editorial approval for pages: who reviews which branch of the tree, the review tasks (and the
one set of names their actions have at every step), and which editorial workflow is which.

The rules that use these models (whose review a page needs, whose queue a task state is in)
live in `workflows.editorial`."""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page, Task, TaskState, Workflow
from wagtail.signals import task_submitted

from workflows.forms import PublishConfirmCommentForm, PublishConfirmForm, ReviewCommentForm

# --- The review actions: one name each, at every step and on every screen -----------------------
# (action name, what the reviewer reads, whether it opens a dialog first). The dashboard, the
# editor's footer and the workflow action URL read these, the page history says the same words
# (workflows/wagtail_hooks.py) and so do the emails (templates/wagtailadmin/notifications/).
# Wagtail's own names (请求修改/批准/带评论批准) are never offered: no task here is a plain
# GroupApprovalTask (migration 0003 made the existing ones `GroupReviewTask`s).

REJECT = "reject"
APPROVE = "approve"
# At the last step an approval publishes the page: the same names, behind a confirmation.
PUBLISH = "publish"
PUBLISH_WITH_COMMENT = "publish_with_comment"
PUBLISH_ACTIONS = (PUBLISH, PUBLISH_WITH_COMMENT)
PUBLISH_CONFIRM_TEMPLATE = "workflows/publish_confirm_modal.html"


def review_actions(*, publishes: bool) -> list[tuple[str, str, bool]]:
    """The actions a reviewer is offered; `publishes`: approving ends the workflow."""
    if publishes:
        return [
            (REJECT, _("退回修改"), True),
            (PUBLISH, _("通过"), True),
            (PUBLISH_WITH_COMMENT, _("通过并留言"), True),
        ]
    return [
        (REJECT, _("退回修改"), True),
        (APPROVE, _("通过"), False),
        (APPROVE, _("通过并留言"), True),
    ]


class ReviewActionsMixin:
    """The project's review actions for a task class whose `may_review(obj, user)` says who
    decides; at the last step 通过 asks for a confirmation that the page is published now."""

    def may_review(self, obj, user) -> bool:
        raise NotImplementedError

    def get_actions(self, obj, user):
        from workflows.editorial import approval_publishes

        if not self.may_review(obj, user):
            return []
        return review_actions(publishes=approval_publishes(obj, self, user))

    def get_form_for_action(self, action):
        if action == PUBLISH:
            return PublishConfirmForm
        if action == PUBLISH_WITH_COMMENT:
            return PublishConfirmCommentForm
        return ReviewCommentForm

    def get_template_for_action(self, action):
        if action in PUBLISH_ACTIONS:
            return PUBLISH_CONFIRM_TEMPLATE
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name in PUBLISH_ACTIONS:
            if not kwargs.get("confirm_publish"):
                raise PermissionDenied(_("请确认通过后立即发布。"))
            return super().on_action(task_state, user, APPROVE, comment=kwargs.get("comment", ""))
        return super().on_action(task_state, user, action_name, comment=kwargs.get("comment", ""))


class ReviewScope(models.Model):
    """`group` reviews the pages in `page`'s subtree. The nearest scope above a page wins, so
    a community's own reviewers are not overruled by a scope on its county."""

    group = models.ForeignKey(
        Group, verbose_name=_("审核组"), on_delete=models.CASCADE, related_name="review_scopes"
    )
    page = models.ForeignKey(
        Page,
        verbose_name=_("审核范围（该页面及其下级页面）"),
        on_delete=models.CASCADE,
        related_name="review_scopes",
    )

    class Meta:
        verbose_name = _("审核范围")
        verbose_name_plural = _("审核范围")
        constraints = [
            models.UniqueConstraint(fields=["group", "page"], name="unique_review_scope"),
        ]

    def __str__(self):
        return f"{self.group} → {self.page}"


class CommunityReviewTask(ReviewActionsMixin, Task):
    """社区审核: approved or rejected by the reviewers of the page's community (the groups of the
    nearest `ReviewScope` above it); pages under no scope (city-wide pages) by `groups`."""

    groups = models.ManyToManyField(
        Group,
        verbose_name=_("城市审核组"),
        help_text=_("不在任何社区审核范围内的页面（全市页面）由这些组审核。"),
        related_name="community_review_tasks",
    )

    admin_form_fields = Task.admin_form_fields + ["groups"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}

    class Meta:
        verbose_name = _("社区审核")
        verbose_name_plural = _("社区审核")

    @classmethod
    def get_description(cls):
        return _("由页面所在社区的审核人审核；不属于任何社区的页面由城市审核组审核。")

    def may_review(self, obj, user) -> bool:
        from workflows.editorial import user_reviews_page

        return user_reviews_page(user=user, page=obj, task=self)

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.may_review(obj, user)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail checks get_actions() against the page in the URL, not the task state's own
        # page: check again against the page this task state is about.
        page = task_state.workflow_state.content_object
        if not self.may_review(page, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from workflows.editorial import task_states_reviewable_by

        return task_states_reviewable_by(user=user, task=self)


class GroupReviewTask(ReviewActionsMixin, GroupApprovalTask):
    """A review by fixed groups (编辑部审核, 发布审批): Wagtail's group approval task with the
    project's action names and the confirmation before publishing. A proxy, so the tasks made
    as group approval tasks became these by changing their content type (no data moved)."""

    class Meta:
        proxy = True
        verbose_name = _("审核组审核")
        verbose_name_plural = _("审核组审核")

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员审核：退回修改、通过或通过并留言。")

    def may_review(self, obj, user) -> bool:
        return user.is_superuser or self._user_in_groups(user)


class EditorialWorkflow(models.Model):
    """Which Wagtail workflow is which editorial workflow: workflow names are for people and
    may be renamed in the admin, so pages find theirs by `kind`."""

    class Kind(models.TextChoices):
        TWO_STEP = "two_step", _("社区审核 → 发布审批")
        COMMUNITY = "community", _("社区审核")
        CITY = "city", _("编辑部审核 → 发布审批")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, unique=True)
    workflow = models.ForeignKey(
        Workflow, verbose_name=_("审批流程"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("编辑审核流程")
        verbose_name_plural = _("编辑审核流程")

    def __str__(self):
        return self.get_kind_display()


def _email_community_reviewers(sender, instance, user=None, **kwargs):
    """Wagtail emails a group approval task's fixed groups; a community review goes to the
    reviewers of the page's own community instead."""
    from workflows.editorial import community_review_submission_notifier

    community_review_submission_notifier(instance=instance, user=user)


task_submitted.connect(
    _email_community_reviewers,
    sender=TaskState,
    dispatch_uid="community_review_task_submitted_email_notification",
)
