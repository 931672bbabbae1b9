"""Each staff member's choice of how they hear of new residents' requests: in the admin's
account settings (通知 tab), for community staff and the city; stored in `StaffAlerts`."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from volunteering import scopes
from volunteering.admin.policy import staff_community_ids
from volunteering.alerts.models import StaffAlerts


class StaffAlertsForm(django_forms.ModelForm):
    class Meta:
        model = StaffAlerts
        fields = ["delivery"]
        widgets = {"delivery": django_forms.RadioSelect}
        help_texts = {
            "delivery": _("社区收到居民网上提交的诉求时，如何用邮件通知您（发到账户邮箱）。")
        }


class StaffAlertsPanel(BaseSettingsPanel):
    """In the admin's account settings (通知 tab), for community staff and the city."""

    name = "voice_alerts"
    title = _("居民诉求提醒")
    tab = notifications_tab
    order = 150
    form_class = StaffAlertsForm

    def is_active(self):
        return bool(scopes.is_city_admin(self.user) or staff_community_ids(self.user))

    def get_form(self):
        instance = StaffAlerts.objects.filter(user=self.user).first() or StaffAlerts(user=self.user)
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, instance=instance, prefix=self.name)
