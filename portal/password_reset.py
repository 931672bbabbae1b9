"""Forgetting a password on the public site: a link by email (Django's password reset views,
in Chinese, linking to the site's public address), for members imported or created without a
password too; or a one-time code by text message to the member's phone
(`volunteering.accounts.services`, sent through `portal.sms`).

Nothing here says whether an account exists: every address typed gets the same answer and the
same page, after the same work: the accounts are looked up, and the link or the code made and
sent, in a background task (`send_reset_email`; `deliver_reset_code` of
`volunteering.accounts.services`), so how long the answer takes does not depend on them either.
Requests are limited per client address (the page answers 429 when that is used up: it says
nothing about any account) and per email address (beyond it, the same answer and
nothing sent), so the form can flood neither a mailbox nor the mail server. Every link sent is a
row (`volunteering.accounts.models.PasswordResetEmail`) and its use is recorded on it, as for the
codes by text message; the city reads both in the admin (找回密码记录)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from portal.addresses import base_url
from portal.emails import render_email
from portal.http import client_address
from portal.login_limits import code_failed
from portal.ratelimit import Limit
from portal.tasks import queue_email
from volunteering import errors
from volunteering.accounts.services import (
    CODE_DIGITS,
    CODE_MINUTES,
    reset_code_send,
    reset_code_use,
    reset_email_record,
    reset_email_used,
)
from volunteering.people.phones import PhoneFormField

RESET_WINDOW = 60 * 60  # seconds
RESET_PER_ADDRESS = Limit("password-reset-address", 20, RESET_WINDOW)
RESET_PER_EMAIL = Limit("password-reset-email", 3, RESET_WINDOW)
TOO_MANY_RESETS = _("找回密码的请求过多，请一小时后再试。")


class MemberPasswordResetForm(PasswordResetForm):
    """Django's form, which finds only accounts with a usable password. Members imported or
    added by their organisation have none until they set one, and this is how they do:
    deliberately, an active member's account is found whether or not it has a password; any
    other account only with a usable one (Django's rule: a disabled password stays disabled)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("登记的邮箱")
        self.fields["email"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email__iexact=email.strip(), is_active=True
        )
        for user in users.filter(Q(member__isnull=False) | ~Q(password__startswith="!")):
            if user.email.casefold() == email.strip().casefold():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # In the language the request was made in: the person reads it in a moment.
        subject, body = render_email(
            subject_template_name, email_template_name, context, language=get_language()
        )
        queue_email(subject=subject, body=body, to=to_email)
        reset_email_record(user=context["user"], email=to_email)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = MemberPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if not RESET_PER_ADDRESS.hit(client_address(request)):
            form = self.get_form()
            form.add_error(None, TOO_MANY_RESETS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip()
        if RESET_PER_EMAIL.hit(email.casefold()):
            language, https = get_language(), self.request.is_secure()
            transaction.on_commit(lambda: send_reset_email.enqueue(email, language, https))
        # Beyond the limit: the same answer, and nothing sent.
        return redirect(self.get_success_url())


@task()
def send_reset_email(email: str, language: str, use_https: bool) -> None:
    """Send a link to each account `MemberPasswordResetForm` finds for `email` (none for an
    address no account has), in the language the request was made in."""
    form = MemberPasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=base_url(),
            use_https=use_https,
            token_generator=default_token_generator,
            email_template_name=PasswordResetView.email_template_name,
            extra_email_context={"site_url": base_url()},
        )


class PasswordSetForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PasswordSetForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_email_used(user=form.user)
        return response


# --- By a one-time code to the member's phone (volunteering.accounts.services) ----------------

PHONE_SESSION_KEY = "password_reset_phone"


class PhoneForm(forms.Form):
    phone = PhoneFormField(label=_("登记的手机号"))


class CodePasswordForm(SetPasswordForm):
    """The code and the new password on one page; the password is checked first, so a
    password the rules refuse does not use up a try of the code."""

    code = forms.CharField(
        label=_("验证码"),
        min_length=CODE_DIGITS,
        max_length=CODE_DIGITS,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={"min_length": errors.CODE_INVALID, "max_length": errors.CODE_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(None, *args, **kwargs)
        self.order_fields(["code", "new_password1", "new_password2"])
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


def password_reset_phone(request):
    """Ask for a code: the same answer whether or not a member has this number."""
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            reset_code_send(phone=phone, address=client_address(request))
        except errors.ServiceError as refusal:
            form.add_error(None, refusal.message)
            status = 429 if refusal.code == "throttled" else 200
        else:
            request.session[PHONE_SESSION_KEY] = phone
            return redirect("password_reset_phone_code")
    return render(request, "registration/password_reset_phone.html", {"form": form}, status=status)


def password_reset_phone_code(request):
    """Type the code and the new password."""
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect("password_reset_phone")
    form = CodePasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reset_code_use(
                phone=phone,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["new_password1"],
                address=client_address(request),
            )
        except errors.ServiceError as refusal:
            form.add_error("code" if refusal.code == "invalid" else None, refusal.message)
            status = 429 if refusal.code == "throttled" else 200
            if refusal.code == "invalid":
                code_failed(phone=phone, address=client_address(request))
        else:
            del request.session[PHONE_SESSION_KEY]
            return redirect("password_reset_complete")
    context = {"form": form, "phone": phone, "minutes": CODE_MINUTES}
    return render(request, "registration/password_reset_phone_code.html", context, status=status)
