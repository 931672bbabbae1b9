"""The admin of requests to close an account (注销账号申请): the member's organisation's admins
and the city see them, and confirm or reject them (with a reason); the dashboard counts those
waiting. Scoped per object by the one policy: an organisation admin never sees another
organisation's requests."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from volunteering.admin.dashboard import AwaitingItem
from volunteering.admin.policy import (
    VIEW,
    Scope,
    managed_organisation_ids,
    register_scopes,
    scoped_queryset,
)
from volunteering.admin.viewsets import VIEWSETS, ScopedModelViewSet, _reason
from volunteering.privacy import services
from volunteering.privacy.filters import AccountClosureFilterSet
from volunteering.privacy.models import AccountClosure
from volunteering.privacy.workflows import CLOSURE_WORKFLOW
from volunteering.scopes import is_city_admin

register_scopes(
    {
        AccountClosure: Scope(
            city=VIEW,
            organisation=VIEW,
            by_organisation=lambda ids: Q(organisation_id__in=ids),
        )
    }
)


class AccountClosureViewSet(ScopedModelViewSet):
    model = AccountClosure
    icon = "user"
    menu_label = _("注销账号申请")
    workflow = CLOSURE_WORKFLOW
    filterset_class = AccountClosureFilterSet
    list_select_related = ("member", "organisation")
    list_display = ["member", "organisation", "state", "created_at", "state_changed_at"]
    list_export = ["member.real_name", "organisation", "get_state_display", "created_at"]
    export_headings = {
        "member.real_name": _("姓名"),
        "organisation": _("工作单位"),
        "get_state_display": _("状态"),
        "created_at": _("申请时间"),
    }
    inspect_view_fields = [
        "member",
        "organisation",
        "reason",
        "state",
        "created_at",
        "state_changed_at",
    ]
    services = {
        "confirm": lambda o, by, d: services.closure_confirm(closure=o, by=by, note=_reason(d)),
        "reject": lambda o, by, d: services.closure_reject(closure=o, by=by, reason=_reason(d)),
    }
    reason_labels = {"reject": _("不同意的理由"), "confirm": _("备注")}


closures_viewset = AccountClosureViewSet()


def closure_queue(user) -> AwaitingItem | None:
    """Requests waiting for this organisation admin (or the city) on the 待我处理 panel."""
    if not (is_city_admin(user) or managed_organisation_ids(user)):
        return None
    pending = AccountClosure.State.PENDING
    count = scoped_queryset(AccountClosure, user).filter(state=pending).count()
    url = VIEWSETS[AccountClosure].index_url_with(state=pending)
    return AwaitingItem(str(_("待确认的注销申请")), count, url)
