"""The "待我处理" panel on the Wagtail admin home: what awaits this user, within their scope."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from volunteering import scopes
from volunteering.admin.policy import community_queryset, managed_organisation_ids
from volunteering.filters import MemberFilterSet
from volunteering.models import Member, NeedClaim, PostPledge, Report, SignUp, TeamMembership


@dataclass(frozen=True)
class AwaitingItem:
    label: str
    count: int
    url: str


# (model, state awaiting a decision, label)
STAFF_QUEUES = (
    (Report, Report.State.PENDING, _("待确认的报到")),
    (NeedClaim, NeedClaim.State.PENDING, _("待确认的需求认领")),
    (PostPledge, PostPledge.State.PENDING, _("待接受的领岗承诺")),
    (TeamMembership, TeamMembership.State.REQUESTED, _("待审核的入队申请")),
    (SignUp, SignUp.State.PENDING, _("待审核的活动报名")),
)


def awaiting_items(user) -> list[AwaitingItem]:
    """One count per queue (one query each), linking to the list filtered to that queue."""
    from volunteering.admin.viewsets import VIEWSETS, members_viewset

    items = []
    if scopes.is_city_admin(user) or scopes.managed_community_ids(user):
        for model, state, label in STAFF_QUEUES:
            count = community_queryset(model, user).filter(state=state).count()
            url = VIEWSETS[model].index_url_with(state=state)
            items.append(AwaitingItem(str(label), count, url))
    organisation_ids = managed_organisation_ids(user)
    if organisation_ids:
        not_reported = (
            Member.objects.filter(organisation_id__in=organisation_ids)
            .exclude(reports__state__in=Report.ACTIVE_STATES)
            .count()
        )
        url = members_viewset.index_url_with(report_status=MemberFilterSet.NOT_REPORTED)
        items.append(AwaitingItem(str(_("本单位尚未报到的党员")), not_reported, url))
    return items


def has_volunteering_role(user) -> bool:
    return bool(
        scopes.is_city_admin(user)
        or scopes.managed_community_ids(user)
        or managed_organisation_ids(user)
    )


class AwaitingPanel(Component):
    name = "volunteering_awaiting"
    order = 90
    template_name = "volunteering/admin/awaiting_panel.html"

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        if not has_volunteering_role(self.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        items = awaiting_items(self.user)
        return {"items": items, "total": sum(item.count for item in items)}
