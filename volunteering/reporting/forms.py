"""The member's form for reporting (报到) to a community, offering only the kinds that apply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member
from volunteering.reporting.models import Report


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
