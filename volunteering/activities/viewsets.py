"""The admin of themes (主题活动), with the number of activities of each; activity pages themselves
are edited in Wagtail's page tree."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from volunteering.activities.forms import ThemeForm
from volunteering.activities.models import Theme
from volunteering.admin.policy import Scope, register_scopes
from volunteering.admin.viewsets import ScopedModelViewSet

register_scopes(
    {
        Theme: Scope(),
    }
)


class ThemeViewSet(ScopedModelViewSet):
    model = Theme
    icon = "calendar-check"
    menu_label = _("主题活动")
    form_class = ThemeForm
    search_fields = ["title", "slogan"]
    list_display = [
        "title",
        "slogan",
        Column("activity_count", label=_("活动数"), sort_key="activity_count"),
    ]
    list_export = ["title", "slogan", "description", "activity_count"]
    export_headings = {
        "title": _("主题"),
        "slogan": _("口号"),
        "description": _("说明"),
        "activity_count": _("活动数"),
    }
    inspect_view_fields = ["title", "slogan", "description"]

    def annotate(self, request, queryset):
        return queryset.annotate(activity_count=Count("activities"))


themes_viewset = ThemeViewSet()
