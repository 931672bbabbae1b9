"""The failed sign-ins' log in the admin (找回密码记录 › 登录失败): read-only, for the city and
superusers, beside the password reset logs of `volunteering.accounts.viewsets`, whose group it
joins here (portal assembles the site; volunteering does not know portal's models)."""

from django.utils.translation import gettext_lazy as _

from portal.models import LoginFailure
from volunteering.accounts.viewsets import (
    ResetLogViewSet,
    ResetLogViewSetGroup,
    reset_codes_viewset,
    reset_emails_viewset,
)
from volunteering.admin.policy import VIEW, Scope, register_scopes

register_scopes({LoginFailure: Scope(city=VIEW)})


class LoginFailureViewSet(ResetLogViewSet):
    """Failed sign-ins counted by the login limits: which name, from where, by which way in."""

    model = LoginFailure
    icon = "warning"
    menu_label = _("登录失败")
    list_select_related = ()
    list_display = ["username", "address", "way", "at"]
    list_filter = ["way"]
    search_fields = ["username", "address"]
    inspect_view_fields = ["username", "address", "way", "at"]


login_failures_viewset = LoginFailureViewSet()


class AccountLogViewSetGroup(ResetLogViewSetGroup):
    items = (reset_emails_viewset, reset_codes_viewset, login_failures_viewset)
