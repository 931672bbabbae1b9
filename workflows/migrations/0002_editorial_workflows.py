"""The editorial workflows, made here rather than by hand in the admin: the city reviewers'
group, the two tasks, and the workflows "社区审核 → 发布审批" and "社区审核", recorded by kind."""

from django.db import migrations

CITY_REVIEWERS = "城市审核人"
COMMUNITY_REVIEW = "社区审核"
PUBLICATION_APPROVAL = "发布审批"
TWO_STEP = "社区审核 → 发布审批"
WAGTAIL_DEFAULT = "Moderators approval"


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _workflow(apps, name, tasks):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    workflow = Workflow.objects.create(name=name, active=True)
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def create_editorial_workflows(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    CommunityReviewTask = apps.get_model("workflows", "CommunityReviewTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    EditorialWorkflow = apps.get_model("workflows", "EditorialWorkflow")
    if EditorialWorkflow.objects.exists():
        return

    city, _created = Group.objects.get_or_create(name=CITY_REVIEWERS)
    city.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    community_review = CommunityReviewTask.objects.create(
        name=COMMUNITY_REVIEW,
        active=True,
        content_type=_content_type(apps, "workflows", "communityreviewtask"),
    )
    community_review.groups.add(city)
    publication = GroupApprovalTask.objects.create(
        name=PUBLICATION_APPROVAL,
        active=True,
        content_type=_content_type(apps, "wagtailcore", "groupapprovaltask"),
    )
    publication.groups.add(city)

    EditorialWorkflow.objects.create(
        kind="two_step", workflow=_workflow(apps, TWO_STEP, [community_review, publication])
    )
    EditorialWorkflow.objects.create(
        kind="community", workflow=_workflow(apps, COMMUNITY_REVIEW, [community_review])
    )
    _retire_wagtails_default_workflow(apps)


def _retire_wagtails_default_workflow(apps):
    """Wagtail's own migrations assign "Moderators approval" to the root page, which would
    win over every page's editorial workflow (an assignment in the admin wins): undo it."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    default = WorkflowPage.objects.filter(page__depth=1, workflow__name=WAGTAIL_DEFAULT)
    workflow_ids = list(default.values_list("workflow_id", flat=True))
    default.delete()
    Workflow.objects.filter(pk__in=workflow_ids, workflow_pages__isnull=True).update(active=False)


def remove_editorial_workflows(apps, schema_editor):
    EditorialWorkflow = apps.get_model("workflows", "EditorialWorkflow")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    workflow_ids = list(EditorialWorkflow.objects.values_list("workflow_id", flat=True))
    task_ids = list(
        Task.objects.filter(workflow_tasks__workflow_id__in=workflow_ids).values_list(
            "pk", flat=True
        )
    )
    Workflow.objects.filter(pk__in=workflow_ids).delete()
    Task.objects.filter(pk__in=task_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_editorial_workflows, remove_editorial_workflows),
    ]
