"""Filters of the admin list of requests to close an account."""

from wagtail.admin.filters import WagtailFilterSet

from volunteering.admin.filters import _organisation, _state
from volunteering.privacy.models import AccountClosure


class AccountClosureFilterSet(WagtailFilterSet):
    state = _state(AccountClosure)
    organisation = _organisation("organisation")

    class Meta:
        model = AccountClosure
        fields = []
