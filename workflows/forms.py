"""The forms of the review actions' dialogs: a comment (审核意见), and the confirmation the
last step's approval asks for because it publishes the page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewCommentForm(forms.Form):
    """退回修改 and 通过并留言: the comment the author reads in the email and the history."""

    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea({"rows": 3})
    )


class PublishConfirmForm(forms.Form):
    """通过 at the last step: the dialog says the page will be published now; its button posts
    `confirm_publish`, and an approval posted without it publishes nothing."""

    confirm_publish = forms.BooleanField(
        initial=True,
        required=True,
        widget=forms.HiddenInput,
        error_messages={"required": _("请确认通过后立即发布。")},
    )


class PublishConfirmCommentForm(PublishConfirmForm):
    """通过并留言 at the last step: the confirmation and a comment."""

    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea({"rows": 3})
    )

    field_order = ["comment", "confirm_publish"]
