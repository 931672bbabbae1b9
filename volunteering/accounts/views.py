"""The public page an activation invitation links to: the member sets their password, once,
before the link expires (`services.invitation_accept`)."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from portal.http import client_address
from volunteering import errors
from volunteering.accounts import services

ACTIVATED = _("账号已激活。请用用户名或手机号和刚设置的密码登录。")


def activate(request, token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "volunteering/accounts/activate.html", {"invalid": True}, status=404)
    user = invitation.member.user
    form = SetPasswordForm(user, request.POST or None)
    for name in ("new_password1", "new_password2"):
        form.fields[name].widget.attrs["autocomplete"] = "new-password"
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                password=form.cleaned_data["new_password1"],
                address=client_address(request),
            )
        except errors.ServiceError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, ACTIVATED)
            return redirect("login")
    context = {"form": form, "member": invitation.member, "username": user.get_username()}
    return render(request, "volunteering/accounts/activate.html", context)
