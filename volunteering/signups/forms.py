"""The admin form that records attendance: the hours served."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class AttendanceForm(forms.Form):
    hours = forms.DecimalField(
        label=_("服务时长（小时）"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        decimal_places=1,
        help_text=_("留空则按活动起止时间计算。"),
    )

    def __init__(self, *args, required: bool = False, initial_hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].required = required
        if initial_hours is not None:
            self.fields["hours"].initial = initial_hours
