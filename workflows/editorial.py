"""Editorial approval for pages: which workflow a page goes through, who reviews it, whose
queue a task state is in, and who is told by email.

A page's reviewers are the groups of the nearest `ReviewScope` at or above it (a community's
reviewers for the community's branch). Pages under no scope are city-wide: no community
reviews them, so they go through the city's workflow, 编辑部审核 → 发布审批, whose steps are
group review tasks of the city reviewers (城市审核人) until the city gives 编辑部审核 to a
group of its own. The last step of the community's two-step workflow is the same 发布审批.

Scopes are few (one or two per community), so they are read once per request and cached on the
user object: the review queue and the dashboard then cost the same however long they are."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import Page, Task, TaskState, Workflow, WorkflowState, WorkflowTask

from workflows.models import CommunityReviewTask, EditorialWorkflow, ReviewScope
from workflows.page_permissions import LeafAwarePagePermissionTester

CITY_REVIEWERS = "城市审核人"
STEPLEN = Page.steplen

Kind = EditorialWorkflow.Kind


# --- Which workflow ------------------------------------------------------------------------


def editorial_workflow(kind: str) -> Workflow | None:
    """The active workflow recorded for `kind` by the data migration, or None."""
    row = (
        EditorialWorkflow.objects.filter(kind=kind, workflow__active=True)
        .select_related("workflow")
        .first()
    )
    return row.workflow if row else None


def in_review_scope(page: Page) -> bool:
    """Is `page` (or, for a page not yet saved, its parent) in a community's review scope?"""
    path = page.path or getattr(getattr(page, "_cached_parent_obj", None), "path", "")
    if not path:
        return True  # not placed yet: keep the page's own kind until it is
    cache = page.__dict__.setdefault("_editorial_in_scope", {})
    if path not in cache:
        cache[path] = ReviewScope.objects.filter(page__path__in=_ancestor_paths(path)).exists()
    return cache[path]


class EditorialWorkflowMixin:
    """For page classes: the page's workflow follows its kind (`editorial_kind`), unless one
    is assigned to the page or an ancestor in Wagtail's Workflows admin, which wins. A page no
    community reviews (under no review scope: the city's own pages) goes through the city's
    workflow, whatever its kind, so no step is called 社区审核 when no community reviews it.

    Wagtail's `Page.has_workflow` looks only at those assignments, so it is redefined here;
    every admin view that offers "提交审核" asks the specific page (or parent page)."""

    editorial_kind: str = Kind.TWO_STEP

    def get_editorial_kind(self) -> str:
        return self.editorial_kind

    def get_workflow(self):
        assigned = super().get_workflow()
        if assigned is not None or not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return assigned
        city = None if in_review_scope(self) else editorial_workflow(Kind.CITY)
        return city or editorial_workflow(self.get_editorial_kind())

    @property
    def has_workflow(self) -> bool:
        return self.get_workflow() is not None

    def permissions_for_user(self, user):
        """Wagtail's tester, answering for a page without children without a query
        (`workflows.page_permissions`)."""
        return LeafAwarePagePermissionTester(user, self)


def _later_steps(user) -> dict[int, dict[int, bool]]:
    """workflow id → {task id: has an active step after it}, read once per user object."""
    table = getattr(user, "_editorial_later_steps", None)
    if table is None:
        steps: dict[int, list[tuple[int, int]]] = {}
        rows = WorkflowTask.objects.filter(task__active=True).values_list(
            "workflow_id", "task_id", "sort_order"
        )
        for workflow_id, task_id, order in rows:
            steps.setdefault(workflow_id, []).append((order, task_id))
        table = {
            workflow_id: {task_id: order < max(o for o, _t in tasks) for order, task_id in tasks}
            for workflow_id, tasks in steps.items()
        }
        user._editorial_later_steps = table
    return table


def approval_publishes(obj, task: Task, user) -> bool:
    """Would approving `obj` at `task` end its workflow, and so publish it? Steps run in order
    (a resubmission resumes at the step that asked for changes), so: is no active step after
    this one? One query per object (its workflow state); the steps are read once per user."""
    state = obj.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    return not _later_steps(user).get(state.workflow_id, {}).get(task.pk, False)


# --- Who reviews ---------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def _scope_table(user) -> dict[str, set[int]]:
    """Every scope's page path → its reviewer group ids, read once per user object."""
    table = getattr(user, "_editorial_scope_table", None)
    if table is None:
        table = {}
        for path, group_id in ReviewScope.objects.values_list("page__path", "group_id"):
            table.setdefault(path, set()).add(group_id)
        user._editorial_scope_table = table
    return table


def _user_group_ids(user) -> set[int]:
    ids = getattr(user, "_editorial_group_ids", None)
    if ids is None:
        ids = set(user.groups.values_list("pk", flat=True))
        user._editorial_group_ids = ids
    return ids


def _task_group_ids(task: CommunityReviewTask) -> set[int]:
    ids = getattr(task, "_group_ids", None)
    if ids is None:
        ids = set(task.groups.values_list("pk", flat=True))
        task._group_ids = ids
    return ids


def scope_group_ids(path: str, table: dict[str, set[int]]) -> set[int] | None:
    """The groups of the nearest scope at or above `path`; None if no scope applies."""
    for ancestor in reversed(_ancestor_paths(path)):
        if ancestor in table:
            return table[ancestor]
    return None


def _reviews_path(user, path: str, task: CommunityReviewTask) -> bool:
    groups = scope_group_ids(path, _scope_table(user))
    if groups is None:
        groups = _task_group_ids(task)
    return bool(groups & _user_group_ids(user))


def _is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def user_reviews_page(*, user, page: Page, task: CommunityReviewTask) -> bool:
    """May `user` approve or reject `page` at the community review step?"""
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return bool(page.path) and _reviews_path(user, page.path, task)


def task_states_reviewable_by(*, user, task: CommunityReviewTask) -> QuerySet[TaskState]:
    """The in-progress task states of `task` that `user` may approve or reject."""
    in_progress = task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
    if not _is_active_user(user):
        return TaskState.objects.none()
    if user.is_superuser:
        return in_progress
    rows = list(in_progress.values_list("pk", "workflow_state__object_id"))
    paths = dict(
        Page.objects.filter(pk__in=[int(obj) for _pk, obj in rows]).values_list("pk", "path")
    )
    reviewable = [
        pk for pk, obj in rows if int(obj) in paths and _reviews_path(user, paths[int(obj)], task)
    ]
    return TaskState.objects.filter(pk__in=reviewable)


def reviewers_of(page: Page, task: CommunityReviewTask) -> QuerySet:
    """The active users who review `page` at the community review step (not superusers)."""
    table: dict[str, set[int]] = {}
    for path, group_id in ReviewScope.objects.filter(
        page__path__in=_ancestor_paths(page.path)
    ).values_list("page__path", "group_id"):
        table.setdefault(path, set()).add(group_id)
    groups = scope_group_ids(page.path, table)
    if groups is None:
        groups = _task_group_ids(task)
    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()


# --- Who is told -----------------------------------------------------------------------------


class CommunityReviewSubmissionEmailNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Emails the page's reviewers (not the task's fixed groups, as Wagtail's notifier for
    group approval tasks would) when a page reaches its community review."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, CommunityReviewTask
        )

    def get_recipient_users(self, task_state: TaskState, **kwargs) -> Iterable:
        page = task_state.workflow_state.content_object
        recipients = reviewers_of(page, task_state.task.specific)
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            superusers = get_user_model().objects.filter(is_superuser=True, is_active=True)
            recipients = recipients | superusers
        if user := kwargs.get("user"):
            recipients = recipients.exclude(pk=user.pk)
        return set(recipients)


community_review_submission_notifier = CommunityReviewSubmissionEmailNotifier()


def review_comments(obj) -> list[TaskState]:
    """The approvals with a comment in `obj`'s latest finished review, oldest first: what the
    approval email tells the author (Wagtail's own email leaves them out)."""
    workflow_state = (
        WorkflowState.objects.for_instance(obj)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if workflow_state is None:
        return []
    states = workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED).exclude(comment="")
    return list(states.select_related("task", "finished_by").order_by("finished_at", "pk"))
