"""Admin: review scopes (审核范围) under Settings, for those holding the model's permissions
(superusers and whoever the city gives them to); the review actions named in page histories
as the reviewers' buttons name them (通过, 退回修改)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from workflows.models import ReviewScope


class ReviewScopeIndexView(IndexView):
    def get_base_queryset(self):
        # each row shows its group and page: fetched with the rows, not one query per row
        return super().get_base_queryset().select_related("group", "page")


class ReviewScopeViewSet(ModelViewSet):
    model = ReviewScope
    index_view_class = ReviewScopeIndexView
    icon = "group"
    menu_label = _("审核范围")
    add_to_settings_menu = True
    list_display = ["group", "page"]
    list_filter = ["group"]
    panels = [FieldPanel("group"), FieldPanel("page")]
    ordering = ["page__path", "group__name"]


@hooks.register("register_admin_viewset")
def register_review_scope_viewset():
    return ReviewScopeViewSet("review_scopes")


# --- Review actions in the page history: the buttons' names -----------------------------------


class _ReviewLogFormatter(LogFormatter):
    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")


class ApprovedFormatter(_ReviewLogFormatter):
    label = _("审核：通过")

    def format_message(self, log_entry):
        try:
            workflow = log_entry.data["workflow"]
            if workflow["next"]:
                return _("在“%(task)s”通过，下一步：“%(next_task)s”") % {
                    "task": workflow["task"]["title"],
                    "next_task": workflow["next"]["title"],
                }
            return _("在“%(task)s”通过，“%(workflow)s”完成") % {
                "task": workflow["task"]["title"],
                "workflow": workflow["title"],
            }
        except (KeyError, TypeError):
            return _("审核通过")


class RejectedFormatter(_ReviewLogFormatter):
    label = _("审核：退回修改")

    def format_message(self, log_entry):
        try:
            return _("在“%(task)s”退回修改") % {"task": log_entry.data["workflow"]["task"]["title"]}
        except (KeyError, TypeError):
            return _("审核退回修改")


REVIEW_LOG_FORMATTERS = {
    "wagtail.workflow.approve": ApprovedFormatter,
    "wagtail.workflow.reject": RejectedFormatter,
}


# After Wagtail's own registration (order 0), whose formatters these replace.
@hooks.register("register_log_actions", order=1)
def register_review_log_actions(actions):
    for action, formatter in REVIEW_LOG_FORMATTERS.items():
        actions.choices[:] = [choice for choice in actions.choices if choice[0] != action]
        actions.register_action(action)(formatter)
