"""The admin form of themes (主题活动)."""

from wagtail.admin.forms.models import WagtailAdminModelForm

from volunteering.activities.models import Theme


class ThemeForm(WagtailAdminModelForm):
    class Meta:
        model = Theme
        fields = ["title", "slogan", "description"]
