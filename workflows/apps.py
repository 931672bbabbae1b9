"""The workflows app: `ready()` imports every app's `workflows.py` and the audit log's receiver."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("审批流程")

    def ready(self):
        # Each app declares and registers its workflows in `<app>/workflows.py` (as Django's
        # admin finds `admin.py`): the save guard is then in place before any request or test.
        autodiscover_modules("workflows")
        from workflows import audit  # noqa: F401  (the transitioned receiver and admin hooks)
