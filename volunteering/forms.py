"""Forms of the members' pages on the public site: sign-in, profile, reporting, pledges."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering import errors
from volunteering.models import CommunityPage, CountyPage, Member, PostPledge, Report, Skill
from volunteering.services.menu import pledge_problems

# A phone number as people write it: digits, spaces and dashes, an optional leading +.
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{3,28}[0-9]$")


class DateInput(forms.DateInput):
    """The phone's own date picker; its value is always written as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LoginForm(AuthenticationForm):
    """Django's sign-in, with the attributes phones use to fill it in."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ProfileForm(forms.ModelForm):
    """What a member keeps up to date: skills, residence community, phone, privacy consent."""

    skills = forms.ModelMultipleChoiceField(
        label=_("技能特长"),
        queryset=Skill.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选。社区会按特长为您推荐服务需求。"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私声明"),
        required=False,
        help_text=_("同意后，您所报到社区的工作人员可以通过手机号与您联系服务事宜。"),
    )

    class Meta:
        model = Member
        fields = ["skills", "other_skills", "residence_community", "phone", "hide_from_rankings"]
        help_texts = {"other_skills": _("上面没有列出的特长，用顿号分隔。")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].initial = bool(self.instance.privacy_consent_at)
        residence = self.fields["residence_community"]
        residence.queryset = CommunityPage.objects.live().order_by("path")
        residence.choices = [("", _("（未填写）")), *communities_by_county()]
        residence.required = False

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(errors.PHONE_INVALID)
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("phone") and not cleaned.get("consent"):
            self.add_error("consent", errors.PHONE_NEEDS_CONSENT)
        return cleaned


def communities_by_county() -> list[tuple[str, list[tuple[int, str]]]]:
    """Live communities grouped under their counties, for a <select> (two queries)."""
    counties = {c.path: c.title for c in CountyPage.objects.live().order_by("path")}
    groups: dict[str, list[tuple[int, str]]] = {}
    for community in CommunityPage.objects.live().order_by("path"):
        county = counties.get(community.path[: -CommunityPage.steplen], "")
        groups.setdefault(county, []).append((community.pk, community.title))
    return list(groups.items())


class ReportForm(forms.Form):
    """A member's report (报到) to one community."""

    kind = forms.ChoiceField(label=_("报到类型"), widget=forms.RadioSelect)
    is_primary = forms.BooleanField(
        label=_("设为主报到社区"),
        required=False,
        help_text=_("第一次报到的社区自动成为主报到社区；每人只能有一个主报到社区。"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=Report._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选填，例如可参加服务的时间。"),
    )

    def __init__(self, *args, member: Member, community: CommunityPage, **kwargs):
        super().__init__(*args, **kwargs)
        linked = member.organisation.linked_community_id == community.pk
        self.fields["kind"].choices = [
            (value, label)
            for value, label in Report.Kind.choices
            if linked or value != Report.Kind.LINKED
        ]
        self.fields["kind"].initial = _likely_kind(member, community, linked=linked)


def _likely_kind(member: Member, community: CommunityPage, *, linked: bool) -> str:
    if linked:
        return Report.Kind.LINKED
    if member.residence_community_id == community.pk:
        return Report.Kind.RESIDENCE
    return Report.Kind.VOLUNTARY


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


class ReasonForm(forms.Form):
    """The reason a team leader gives when declining a request to join."""

    reason = forms.CharField(label=_("理由"), max_length=200)
