"""Review names and steps that fit who reviews (issue 10).

- Every group approval task (发布审批 among them) becomes a `GroupReviewTask`, the project's
  proxy with the project's action names (退回修改 / 通过 / 通过并留言): only its content type
  changes, so reviews in progress go on where they are.
- The city's workflow "编辑部审核 → 发布审批" for pages no community reviews (under no review
  scope), with a new task 编辑部审核 of the city reviewers, recorded as kind "city".
- Reviews in progress or awaiting changes on a city page move to it: their 社区审核 step
  becomes 编辑部审核 (approvals already given are kept). Finished reviews keep the names they
  had when they happened."""

from django.db import migrations, models

CITY_REVIEWERS = "城市审核人"
EDITORIAL_OFFICE_REVIEW = "编辑部审核"
CITY_WORKFLOW = "编辑部审核 → 发布审批"
OPEN = ("in_progress", "needs_changes")


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _scoped_paths(apps) -> list[str]:
    ReviewScope = apps.get_model("workflows", "ReviewScope")
    return list(ReviewScope.objects.values_list("page__path", flat=True))


def _city_page_ids(apps, page_ids) -> set[str]:
    """Of `page_ids` (strings, as workflow states hold them), those under no review scope."""
    Page = apps.get_model("wagtailcore", "Page")
    scoped = _scoped_paths(apps)
    return {
        str(pk)
        for pk, path in Page.objects.filter(pk__in=[int(i) for i in page_ids]).values_list(
            "pk", "path"
        )
        if not any(path.startswith(scope) for scope in scoped)
    }


def forwards(apps, schema_editor):
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Group = apps.get_model("auth", "Group")
    GroupReviewTask = apps.get_model("workflows", "GroupReviewTask")
    CommunityReviewTask = apps.get_model("workflows", "CommunityReviewTask")
    EditorialWorkflow = apps.get_model("workflows", "EditorialWorkflow")

    review_type = _content_type(apps, "workflows", "groupreviewtask")
    Task.objects.filter(content_type=_content_type(apps, "wagtailcore", "groupapprovaltask")).update(
        content_type=review_type
    )

    two_step = EditorialWorkflow.objects.filter(kind="two_step").select_related("workflow").first()
    if two_step is None or EditorialWorkflow.objects.filter(kind="city").exists():
        return
    steps = list(
        WorkflowTask.objects.filter(workflow=two_step.workflow).order_by("sort_order")
    )
    publication = steps[-1].task_id
    community_review = CommunityReviewTask.objects.values_list("pk", flat=True).first()

    city, _created = Group.objects.get_or_create(name=CITY_REVIEWERS)
    office = GroupReviewTask.objects.create(
        name=EDITORIAL_OFFICE_REVIEW, active=True, content_type=review_type
    )
    office.groups.add(city)
    workflow = Workflow.objects.create(name=CITY_WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task_id=office.pk, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task_id=publication, sort_order=1)
    EditorialWorkflow.objects.create(kind="city", workflow=workflow)

    editorial = list(
        EditorialWorkflow.objects.filter(kind__in=["two_step", "community"]).values_list(
            "workflow_id", flat=True
        )
    )
    open_states = WorkflowState.objects.filter(workflow_id__in=editorial, status__in=OPEN)
    city_pages = _city_page_ids(apps, open_states.values_list("object_id", flat=True))
    moving = open_states.filter(object_id__in=city_pages)
    TaskState.objects.filter(workflow_state__in=moving, task_id=community_review).update(
        task_id=office.pk
    )
    moving.update(workflow=workflow)


def backwards(apps, schema_editor):
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    CommunityReviewTask = apps.get_model("workflows", "CommunityReviewTask")
    EditorialWorkflow = apps.get_model("workflows", "EditorialWorkflow")

    city = EditorialWorkflow.objects.filter(kind="city").first()
    two_step = EditorialWorkflow.objects.filter(kind="two_step").first()
    if city is not None and two_step is not None:
        office = city.workflow.workflow_tasks.order_by("sort_order").first().task_id
        community_review = CommunityReviewTask.objects.values_list("pk", flat=True).first()
        states = WorkflowState.objects.filter(workflow=city.workflow)
        TaskState.objects.filter(workflow_state__in=states, task_id=office).update(
            task_id=community_review
        )
        states.update(workflow=two_step.workflow)
        workflow = city.workflow
        city.delete()
        workflow.delete()
        Task.objects.filter(pk=office).delete()
    Task.objects.filter(content_type=_content_type(apps, "workflows", "groupreviewtask")).update(
        content_type=_content_type(apps, "wagtailcore", "groupapprovaltask")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("workflows", "0002_editorial_workflows"),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupReviewTask",
            fields=[],
            options={
                "verbose_name": "审核组审核",
                "verbose_name_plural": "审核组审核",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.AlterField(
            model_name="editorialworkflow",
            name="kind",
            field=models.CharField(
                choices=[
                    ("two_step", "社区审核 → 发布审批"),
                    ("community", "社区审核"),
                    ("city", "编辑部审核 → 发布审批"),
                ],
                max_length=20,
                unique=True,
                verbose_name="类别",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
