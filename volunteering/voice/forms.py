"""The public forms of residents' voice: sending a message to a community (no account needed)
and looking up its progress by receipt code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.people.phones import PhoneFormField
from volunteering.voice.models import RECEIPT_LENGTH, Feedback, normalise_receipt_code

# A resident's number is stored in the one canonical form members' numbers have, whatever way
# it was typed ("13812345678" and "138 1234 5678" are one number: `volunteering.people.phones`);
# what is not a number that can exist is refused with this example-giving message.
PHONE_INVALID = _("请填写正确的电话号码，例如 13812345678 或 0874-1234567。")
TEXT_TOO_SHORT = _("请把情况写得具体一些（至少 5 个字）。")
CODE_INVALID = _("回执码是 10 位字母和数字，请核对后再试。")
TEXT_MAX_LENGTH = 2000


# The honeypot: a field people never see or fill in (hidden by CSS and from screen readers);
# a form that arrives with it filled in was filled in by a program.
HONEYPOT_FIELD = "website"


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("您要反映的是"),
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择类型。")},
    )
    text = forms.CharField(
        label=_("具体内容"),
        min_length=5,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写具体内容。"), "min_length": TEXT_TOO_SHORT},
        help_text=_("请写明事情经过、地点和您的诉求，最多 2000 字。"),
    )
    name = forms.CharField(
        label=_("姓名或称呼"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneFormField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        invalid_message=PHONE_INVALID,
        help_text=_(
            "填写电话即表示您同意本社区工作人员用这个号码就此事与您联系；"
            "姓名和电话只有本社区工作人员和市级管理员能看到，不会公开。"
        ),
    )
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the reporting form on the same community page has a "kind" too.
        kwargs.setdefault("auto_id", "feedback_%s")
        super().__init__(*args, **kwargs)

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def public_fields(self):
        return [self[name] for name in ("kind", "text", "name", "phone")]


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("请输入回执码。")},
        help_text=_("提交留言后页面上显示的 10 位回执码，不区分大小写。"),
    )

    def clean_code(self) -> str:
        code = normalise_receipt_code(self.cleaned_data["code"])
        if len(code) != RECEIPT_LENGTH:
            raise forms.ValidationError(CODE_INVALID)
        return code
