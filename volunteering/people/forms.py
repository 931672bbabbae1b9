"""Forms of the members' pages on the public site: sign-in, profile, reporting, pledges."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm

from volunteering import errors, scopes
from volunteering.admin.forms import ScopedAdminForm, UsernamesField
from volunteering.communities.forms import communities_by_county
from volunteering.communities.models import CommunityPage
from volunteering.people.import_files import MAX_FILE_BYTES
from volunteering.people.models import Member, Organisation, Skill
from volunteering.people.phones import PhoneFormField


class DateInput(forms.DateInput):
    """The phone's own date picker; its value is always written as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].initial = bool(self.instance.privacy_consent_at)
        residence = self.fields["residence_community"]
        residence.queryset = CommunityPage.objects.live().order_by("path")
        residence.choices = [("", _("（未填写）")), *communities_by_county()]
        residence.required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("phone") and not cleaned.get("consent"):
            self.add_error("consent", errors.PHONE_NEEDS_CONSENT)
        return cleaned


class ReasonForm(forms.Form):
    """The reason a team leader gives when declining a request to join."""

    reason = forms.CharField(label=_("理由"), max_length=200)


class OrganisationForm(ScopedAdminForm):
    scoped_community_field = ""
    admin_usernames = UsernamesField(
        label=_("单位管理员"),
        required=False,
        help_text=_("填写用户名，多个用空格或逗号分隔。单位管理员只能管理本单位及其党员。"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "county", "address", "linked_community"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.is_city:
            del self.fields["admin_usernames"]
        elif self.instance.pk:
            self.initial["admin_usernames"] = list(self.instance.admins.all())

    def save(self, commit=True):
        organisation = super().save(commit=commit)
        if "admin_usernames" in self.fields:
            if commit:
                organisation.admins.set(self.cleaned_data["admin_usernames"])
            else:
                self.save_m2m = self._save_admins_later(self.save_m2m)
        return organisation

    def _save_admins_later(self, save_m2m):
        def save():
            save_m2m()
            self.instance.admins.set(self.cleaned_data["admin_usernames"])

        return save


class MemberForm(ScopedAdminForm):
    """A member's record. On creation it also makes their account (username, no password: they
    set one through password reset). The phone field is there only for those who may see it."""

    scoped_community_field = ""
    scoped_organisation_field = "organisation"
    username = forms.CharField(label=_("用户名"), max_length=150)
    email = forms.EmailField(label=_("邮箱"), required=False)

    class Meta:
        model = Member
        fields = ["real_name", "organisation", "residence_community", "skills", "other_skills"]
        widgets = {"skills": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["username"]
            self.initial["email"] = self.instance.user.email
        if self.may_see_phone:
            self.fields["phone"] = PhoneFormField(
                label=Member._meta.get_field("phone").verbose_name,
                required=False,
                help_text=Member._meta.get_field("phone").help_text,
                initial=self.instance.phone,
            )
        self.order_fields(["username", "real_name", "organisation", "phone", "email"])

    @property
    def may_see_phone(self) -> bool:
        user = self.for_user
        if user is None:
            return False
        if self.instance.pk:
            return scopes.can_see_member_phone(user, self.instance)
        return self.is_city or scopes.organisations_managed_by(user).exists()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("这个用户名已被使用。"))
        return username

    def save(self, commit=True):
        member = super().save(commit=False)
        if "phone" in self.cleaned_data:
            member.phone = self.cleaned_data["phone"]
        if commit:
            member.save()
            self.save_m2m()
            if member.user.email != self.cleaned_data.get("email", ""):
                member.user.email = self.cleaned_data.get("email", "")
                member.user.save(update_fields=["email"])
        return member


class SkillForm(WagtailAdminModelForm):
    class Meta:
        model = Skill
        fields = ["name", "description"]


class MemberImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("导入到单位"), queryset=Organisation.objects.none()
    )
    file = forms.FileField(
        label=_("党员名单文件"),
        help_text=_("XLSX 或 CSV 文件，第一行是列名。请先下载导入模板。"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        choices = list(organisations[:2]) if organisations is not None else []
        if len(choices) == 1:
            self.fields["organisation"].initial = choices[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(errors.IMPORT_FILE_TOO_LARGE)
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(errors.IMPORT_FILE_UNREADABLE)
        return upload
