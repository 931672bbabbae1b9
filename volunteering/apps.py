from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("志愿服务")

    def ready(self):
        from volunteering import figures_signals

        figures_signals.connect()  # cached figures are forgotten when counted data changes
        from volunteering.services import points  # noqa: F401  (awards on transitions)
