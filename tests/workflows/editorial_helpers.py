"""What the editorial workflow tests share: the people (editor, staff, reviewers of two
communities, the city reviewer, a superuser), the admin's forms as a browser posts them, and
the workflow actions."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import factories

DATETIME = "%Y-%m-%d %H:%M:%S"


def access_admin(user):
    group, _created = Group.objects.get_or_create(name="后台用户")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    return user


def editor_of(channel: Page, username: str):
    """An editor (编辑): adds and changes pages in the city channel, publishes nothing."""
    group, _created = Group.objects.get_or_create(name="编辑")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=channel,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user = access_admin(factories.UserFactory(username=username))
    user.groups.add(group)
    return user


def staff_of(community: Page, username: str):
    """Community staff as the demo makes them: add and change on their community page."""
    user = access_admin(factories.make_staff(community, username=username))
    GroupPagePermission.objects.get_or_create(
        group=user.groups.get(name=f"{community.title}工作人员"),
        page=community,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    return user


@dataclass
class People:
    editor: object
    staff: object
    other_staff: object
    reviewer: object
    other_reviewer: object
    city_reviewer: object
    superuser: object


def make_people(site_tree) -> People:
    return People(
        editor=editor_of(site_tree.news, "editor"),
        staff=staff_of(site_tree.community, "staff"),
        other_staff=staff_of(site_tree.other_community, "staff2"),
        reviewer=factories.make_reviewer(site_tree.community, username="reviewer_qilin"),
        other_reviewer=factories.make_reviewer(
            site_tree.other_community, username="reviewer_fangcheng"
        ),
        city_reviewer=factories.make_reviewer(username="city_reviewer"),
        superuser=factories.UserFactory(username="admin", is_superuser=True, is_staff=True),
    )


# --- Forms ---------------------------------------------------------------------------------


def add_url(model, parent: Page) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def news_form(title: str, slug: str, *, text: str = "正文。", **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": timezone.localtime().strftime(DATETIME),
            "source": "麒麟区委组织部",
            "lead": "导语",
            "bylines": inline_formset([]),
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def activity_form(title: str, slug: str, **extra) -> dict:
    starts = timezone.localtime() + datetime.timedelta(days=7)
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "清理楼道杂物",
            "starts_at": starts.strftime(DATETIME),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime(DATETIME),
            "place": "社区服务中心",
            "capacity": "10",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def submit_new(client, model, parent: Page, data: dict):
    """Create a page in the admin and submit it for review in the same step."""
    response = client.post(add_url(model, parent), {**data, "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return model.objects.get(slug=data["slug"])


def resubmit(client, page: Page, data: dict):
    response = client.post(edit_url(page), {**data, "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


# --- Workflow actions --------------------------------------------------------------------


def current_task_state(page: Page) -> TaskState | None:
    state = page.specific_class.objects.get(pk=page.pk).current_workflow_task_state
    return state


def workflow_action_url(page: Page, action: str, task_state: TaskState) -> str:
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def act(client, page: Page, action: str, comment: str = "", **extra):
    """Approve or reject the page's current task as the reviewer's browser does (the modal's
    form posted to the workflow action view)."""
    task_state = current_task_state(page)
    assert task_state is not None, "the page is not in review"
    return client.post(workflow_action_url(page, action, task_state), {"comment": comment, **extra})


def publish(client, page: Page, comment: str = ""):
    """通过 at the last step, as the confirmation dialog's button posts it."""
    action = "publish_with_comment" if comment else "publish"
    return act(client, page, action, comment=comment, confirm_publish="on")


def current_task_name(page: Page) -> str | None:
    state = current_task_state(page)
    return state.task.name if state else None


def refused(response) -> bool:
    """Wagtail's admin answers a refused action with a redirect to the dashboard (and a
    "no permission" message) or, for some views, a 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )
