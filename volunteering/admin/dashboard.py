"""The "待我处理" panel on the Wagtail admin home: what awaits this user, within their scope."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wagtail import hooks
from wagtail.admin.ui.components import Component

from volunteering import scopes
from volunteering.admin.policy import community_queryset, managed_organisation_ids
from volunteering.admin.viewsets import VIEWSETS


@dataclass(frozen=True)
class AwaitingItem:
    label: str
    count: int
    url: str


Queue = Callable[[Any], "AwaitingItem | None"]
QUEUES_HOOK = "volunteering_awaiting_queues"


def state_queue(model, state, label) -> Queue:
    """The rows of `model` in `state` in the communities the user is staff of (all for the
    city), linking to the model's list filtered to that state; nothing for other users."""

    def item(user) -> AwaitingItem | None:
        if not (scopes.is_city_admin(user) or scopes.managed_community_ids(user)):
            return None
        count = community_queryset(model, user).filter(state=state).count()
        return AwaitingItem(str(label), count, VIEWSETS[model].index_url_with(state=state))

    return item


def awaiting_items(user) -> list[AwaitingItem]:
    """One count per queue (one query each). The capabilities' queues come through the
    `volunteering_awaiting_queues` hook, each a function of the user (None: not theirs)."""
    queues = [queue for hook in hooks.get_hooks(QUEUES_HOOK) for queue in hook()]
    return [item for queue in queues if (item := queue(user)) is not None]


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
