"""The account's API tokens, for their holder: which phone apps are signed in with it (what asked,
when issued, last used, until when), revoked one by one or all at once, e.g. after losing a
phone. Only one's own: another's token id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.api_auth import api_token_revoke_own, api_tokens_of, api_tokens_revoke_all

REVOKED_ONE = _("已注销这个应用的登录。")
REVOKED_ALL = _("已注销全部应用的登录。")


@login_required
def token_list(request):
    return render(request, "portal/api_token_list.html", {"tokens": api_tokens_of(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    if not api_token_revoke_own(user=request.user, pk=pk):
        raise Http404
    messages.success(request, REVOKED_ONE)
    return redirect("api_token_list")


@login_required
@require_POST
def token_revoke_all(request):
    api_tokens_revoke_all(user=request.user)
    messages.success(request, REVOKED_ALL)
    return redirect("api_token_list")
