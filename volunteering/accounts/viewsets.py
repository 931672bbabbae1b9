"""The log of password resets in the admin (找回密码记录): every link sent by email and every
code sent by text message, with when it was used. Read-only, and the city's alone (superusers
and city administrators): it names accounts and their contacts, so community staff and
organisation admins do not see it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from volunteering.accounts.models import OneTimeCode, PasswordResetEmail
from volunteering.admin.policy import VIEW, Scope, register_scopes
from volunteering.admin.viewsets import ScopedModelViewSet

register_scopes({PasswordResetEmail: Scope(city=VIEW), OneTimeCode: Scope(city=VIEW)})

READ_ONLY = {"add", "edit", "delete"}


class ResetLogViewSet(ScopedModelViewSet):
    """A log: no add, edit or delete view at all (their URLs are not registered)."""

    rows_open = "inspect"
    list_select_related = ("user",)

    def get_common_view_kwargs(self, **kwargs):
        """No view links to the add, edit and delete views a log does not have (its history
        page reversing the edit URL was a 500, found by tests/portal/test_admin_fuzz.py)."""
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if getattr(pattern, "name", "") not in READ_ONLY
        ]


class PasswordResetEmailViewSet(ResetLogViewSet):
    model = PasswordResetEmail
    icon = "mail"
    menu_label = _("找回密码邮件")
    list_display = ["sent_to", "user", "created_at", "used_at"]
    inspect_view_fields = ["user", "sent_to", "created_at", "used_at"]


class OneTimeCodeViewSet(ResetLogViewSet):
    model = OneTimeCode
    icon = "mobile-alt"
    menu_label = _("手机验证码")
    list_display = ["phone", "user", "created_at", "expires_at", "attempts", "used_at"]
    inspect_view_fields = ["user", "phone", "created_at", "expires_at", "attempts", "used_at"]


reset_emails_viewset = PasswordResetEmailViewSet()
reset_codes_viewset = OneTimeCodeViewSet()


class ResetLogViewSetGroup(ModelViewSetGroup):
    menu_label = _("找回密码记录")
    menu_icon = "key"
    menu_order = 160
    items = (reset_emails_viewset, reset_codes_viewset)
