"""Forms of the volunteering admin. Choice fields offer only what the user may use (staff pick
among their own communities, organisation admins among their own organisations; the city picks
an organisation through the searchable chooser of `admin/choosers.py`), so a forged choice fails
validation like any invalid one. State fields are never in a form: states change
only through the workflow actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm

from volunteering import scopes
from volunteering.admin.choosers import organisation_chooser

PERIOD_INVALID = _("结束日期不能早于开始日期。")
UNKNOWN_USERNAMES = _("找不到这些用户名：%(names)s。")


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
            if self.is_city:  # every organisation (1,476 at city scale): a searchable chooser
                organisation.widget = organisation_chooser.widget_class()

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
