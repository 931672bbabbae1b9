"""The admin form of a team: its leader is one of its members, and it belongs to a community or
an organisation."""

from django.utils.translation import gettext_lazy as _

from volunteering.admin.forms import ScopedAdminForm
from volunteering.people.models import Member
from volunteering.teams.models import Team, TeamMembership

TEAM_NEEDS_COMMUNITY = _("请选择所属社区。")
LEADER_HELP = _("队长须是本队已加入的成员；新建服务队时可先留空。")


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
