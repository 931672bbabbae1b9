"""The volunteering app: `ready()` binds each capability's workflows to their models and connects
its signal receivers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("志愿服务")

    def ready(self):
        # Each capability's workflows bind to their models, and its receivers connect, once the
        # models are loaded (Django's documented place for both).
        from volunteering.alerts import receivers as alert_receivers  # noqa: F401
        from volunteering.assessment import receivers as assessment_receivers
        from volunteering.assessment import workflows as assessment_workflows  # noqa: F401
        from volunteering.figures import receivers as figure_receivers
        from volunteering.menu import workflows as menu_workflows  # noqa: F401
        from volunteering.points import receivers as point_receivers  # noqa: F401
        from volunteering.privacy import workflows as privacy_workflows  # noqa: F401
        from volunteering.reporting import workflows as report_workflows  # noqa: F401
        from volunteering.signups import workflows as signup_workflows  # noqa: F401
        from volunteering.teams import workflows as team_workflows  # noqa: F401
        from volunteering.voice import workflows as voice_workflows  # noqa: F401

        figure_receivers.connect()  # cached figures are forgotten when counted data changes
        assessment_receivers.connect()  # so is the cached list of demonstration communities
