"""Signing in and out: the public site (members, and staff who use it), Wagtail's admin and
Django's admin (`/django-admin/`).

Every sign-in form counts failures and refuses while a limit is used up (`portal.login_limits`),
answering HTTP 429. Changing one's password asks for the current one under the same limits (a
borrowed phone left signed in is not a way to guess it), and ends every other session and every
API token of the account (`portal.api_auth`); the session it was changed in stays signed in."""

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views import account as wagtail_account

from portal import login_limits
from portal.http import client_address
from volunteering.people.selectors import login_username

INVALID_LOGIN = _("用户名（或手机号）和密码不匹配。请注意密码区分大小写。")


class LimitedLoginMixin:
    """For an AuthenticationForm: refused while a login limit is used up (before the password
    is checked, so a right one is refused too); each refused password is counted."""

    locked = False
    way = "site"  # a `portal.models.LoginFailure.Way`

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()  # the fields' own errors; no password was tried
        address = client_address(self.request) if self.request else ""
        if login_limits.login_locked(username=username, address=address):
            self.locked = True
            raise ValidationError(login_limits.TOO_MANY_FAILED_LOGINS, code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            login_limits.login_failed(username=username, address=address, way=self.way)
            raise
        login_limits.login_succeeded(username=username, address=address)
        return cleaned


class LimitedLoginViewMixin:
    """A refusal because of the limit is answered 429 Too Many Requests."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response


class LoginForm(LimitedLoginMixin, AuthenticationForm):
    """The members' sign-in, by username or phone number, with the attributes phones use to
    fill it in. A phone number is turned into its member's username before anything else
    (`login_username`), so the login limits count one account however it was typed."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名或手机号")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.error_messages = {**self.error_messages, "invalid_login": INVALID_LOGIN}

    def clean_username(self):
        return login_username(self.cleaned_data["username"])


class LoginView(LimitedLoginViewMixin, auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class AdminLoginForm(LimitedLoginMixin, WagtailLoginForm):
    way = "admin"

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Wagtail's password field has no label, so Django shows its name, "Password", in
        # English whatever the language; Django's own msgid translates it.
        self.fields["password"].label = _("Password")


class AdminLoginView(LimitedLoginViewMixin, wagtail_account.LoginView):
    """Wagtail's admin sign-in (routed ahead of Wagtail's admin URLs, at the same path)."""

    def get_form_class(self):
        return AdminLoginForm


class DjangoAdminLoginForm(LimitedLoginMixin, AdminAuthenticationForm):
    way = "django_admin"


class DjangoAdminLoginView(LimitedLoginViewMixin, auth_views.LoginView):
    """Django's admin sign-in (routed ahead of `admin.site`'s URLs, at the same path): the page
    `admin.site.login` shows, whose view class cannot be swapped, made from its parts."""

    form_class = DjangoAdminLoginForm
    template_name = "admin/login.html"
    next_page = reverse_lazy("admin:index")

    def get(self, request, *args, **kwargs):
        if admin.site.has_permission(request):  # signed in already, as staff
            return redirect(self.next_page)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("登录"),
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
        }


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (a link cannot sign anyone out); a GET asks to confirm."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")


PASSWORD_CHANGED = _("密码已修改。其他设备上的登录和手机应用的令牌都已失效，需要用新密码重新登录。")


class LimitedPasswordChangeForm(PasswordChangeForm):
    """Django's form (current password, then the new one twice, with the password validators),
    the current password counted as a sign-in attempt by the login limits."""

    locked = False

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"

    def clean_old_password(self):
        username = self.user.get_username()
        address = client_address(self.request) if self.request else ""
        if login_limits.login_locked(username=username, address=address):
            self.locked = True
            raise ValidationError(login_limits.TOO_MANY_FAILED_LOGINS, code="locked")
        try:
            password = super().clean_old_password()
        except ValidationError:
            login_limits.login_failed(username=username, address=address, way="password_change")
            raise
        login_limits.login_succeeded(username=username, address=address)
        return password


class PasswordChangeView(LimitedLoginViewMixin, auth_views.PasswordChangeView):
    """Django's view: the new password's hash changes the session auth hash, which ends the
    account's other sessions and its API tokens; `update_session_auth_hash` keeps this one."""

    form_class = LimitedPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response
