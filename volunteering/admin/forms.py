"""Forms of the volunteering admin. Choice fields offer only what the user may use (staff pick
among their own communities, organisation admins among their own organisations), so a forged
choice fails validation like any invalid one. State fields are never in a form: states change
only through the workflow actions."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from volunteering import errors, scopes
from volunteering.models import (
    Member,
    Need,
    Organisation,
    Post,
    Skill,
    Team,
    TeamMembership,
    Theme,
)
from volunteering.services.imports import MAX_FILE_BYTES, phone_is_valid

TEAM_NEEDS_COMMUNITY = _("请选择所属社区。")
PERIOD_INVALID = _("结束日期不能早于开始日期。")
UNKNOWN_USERNAMES = _("找不到这些用户名：%(names)s。")
LEADER_HELP = _("队长须是本队已加入的成员；新建服务队时可先留空。")


class ScopedAdminForm(WagtailAdminModelForm):
    """Narrows the `community` and `organisation` choices to what `for_user` manages."""

    scoped_community_field = "community"
    scoped_organisation_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        community = self.fields.get(self.scoped_community_field)
        if community is not None:
            community.queryset = scopes.communities_managed_by(user).order_by("path")
            _preselect_only_choice(self, self.scoped_community_field)
        organisation = self.fields.get(self.scoped_organisation_field)
        if organisation is not None:
            organisation.queryset = scopes.organisations_managed_by(user)
            _preselect_only_choice(self, self.scoped_organisation_field)

    @property
    def is_city(self) -> bool:
        return scopes.is_city_admin(self.for_user)


def _preselect_only_choice(form, name: str) -> None:
    """Staff of one community (or admins of one organisation) need not pick it."""
    if form.instance.pk or form.initial.get(name):
        return
    choices = list(form.fields[name].queryset[:2])
    if len(choices) == 1:
        form.initial[name] = choices[0].pk


def _check_period(form, start: str, end: str) -> None:
    starts_on, ends_on = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error(end, PERIOD_INVALID)


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


class TeamForm(ScopedAdminForm):
    class Meta:
        model = Team
        fields = ["name", "expertise", "description", "community", "organisation", "leader"]
        help_texts = {"leader": LEADER_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        joined = TeamMembership.objects.filter(
            team_id=self.instance.pk, state=TeamMembership.State.APPROVED
        ).values("member_id")
        self.fields["leader"].queryset = Member.objects.filter(pk__in=joined)
        if self.for_user is not None and not self.is_city:
            self.fields["community"].required = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("community") and not cleaned.get("organisation"):
            self.add_error("community", TEAM_NEEDS_COMMUNITY)
        return cleaned


class UsernamesField(forms.CharField):
    """Users named by username, separated by commas or spaces (a list the city types, instead
    of a select of every account)."""

    def to_python(self, value):
        names = [n for n in (value or "").replace("，", ",").replace(",", " ").split() if n]
        if not names:
            return []
        users = list(get_user_model().objects.filter(username__in=names))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(UNKNOWN_USERNAMES % {"names": "、".join(missing)})
        return users

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return " ".join(getattr(u, "username", str(u)) for u in value)
        return value


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
            self.fields["phone"] = forms.CharField(
                label=Member._meta.get_field("phone").verbose_name,
                max_length=30,
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

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not phone_is_valid(phone):
            raise forms.ValidationError(errors.PHONE_INVALID)
        return phone

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


class ThemeForm(WagtailAdminModelForm):
    class Meta:
        model = Theme
        fields = ["title", "slogan", "description"]


# --- Workflow actions -----------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if label:
            self.fields["reason"].label = label
        if not required:
            self.fields["reason"].label = _("备注（选填）")


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


# --- Members import -------------------------------------------------------------------------


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
