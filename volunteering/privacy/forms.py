"""The member's request to close their account."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ClosureForm(forms.Form):
    reason = forms.CharField(
        label=_("注销说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    understood = forms.BooleanField(
        label=_(
            "我已了解：注销后无法登录，姓名、手机号和邮箱将被删除且无法恢复；服务记录保留但不再显示我的身份。"
        ),
        required=True,
        error_messages={"required": _("请确认您已了解注销的后果。")},
    )
