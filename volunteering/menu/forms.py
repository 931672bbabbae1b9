"""Forms of the service menu: a member's pledge to a post (public site), and the admin forms of
needs and posts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from volunteering.admin.forms import ScopedAdminForm, _check_period
from volunteering.menu.models import Need, Post, PostPledge
from volunteering.menu.services import pledge_problems
from volunteering.people.forms import DateInput


class PledgeForm(forms.Form):
    """A pledge (领岗承诺) to a post: the written commitment and the period."""

    commitment = forms.CharField(
        label=_("承诺内容"),
        max_length=PostPledge._meta.get_field("commitment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明您承诺做什么、多久做一次，例如“每周六上午在楼栋开展安全巡查”。"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput, help_text=_("最长一年。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today.replace(month=12, day=31)

    def clean(self):
        cleaned = super().clean()
        if {"commitment", "starts_on", "ends_on"} <= cleaned.keys():
            for problem in pledge_problems(
                commitment=cleaned["commitment"],
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
            ):
                self.add_error(None, problem)
        return cleaned


class NeedForm(ScopedAdminForm):
    class Meta:
        model = Need
        fields = ["community", "title", "description", "skills", "places", "starts_on", "ends_on"]
        widgets = {
            "skills": forms.CheckboxSelectMultiple,
            "starts_on": AdminDateInput,
            "ends_on": AdminDateInput,
        }

    def clean(self):
        cleaned = super().clean()
        _check_period(self, "starts_on", "ends_on")
        if cleaned.get("places") is not None and cleaned["places"] < 1:
            self.add_error("places", _("需要人数至少为 1 人。"))
        return cleaned


class PostForm(ScopedAdminForm):
    class Meta:
        model = Post
        fields = ["community", "title", "description"]
