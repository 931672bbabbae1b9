"""我的数据 (/my/data/): everything the portal holds about the member, to read and to download
as JSON, both from `selectors.member_data`; and the member's request to close their account."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volunteering import errors
from volunteering.people.selectors import member_for_request
from volunteering.people.views import REFUSALS, _my_page, member_action, refusal_message
from volunteering.privacy import services
from volunteering.privacy.forms import ClosureForm
from volunteering.privacy.models import AccountClosure
from volunteering.privacy.selectors import member_data, pending_closure


def _render_page(request, member, form=None):
    context = {
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "data": member_data(member=member) if member else None,
        "closure": pending_closure(member),
        "closure_form": form or ClosureForm(),
    }
    return render(request, "volunteering/privacy/my_data.html", context)


@login_required
def my_data(request):
    return _render_page(request, member_for_request(request))


@login_required
def my_data_download(request):
    """The same data as the page, as a JSON file to keep."""
    member = member_for_request(request)
    if member is None:
        return redirect("service:my_data")
    data = member_data(member=member)
    body = json.dumps(data.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"my-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def closure_request(request):
    member = member_for_request(request)
    if member is None:
        messages.error(request, errors.MEMBER_RECORD_MISSING)
        return redirect("service:my_data")
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            services.closure_request(
                member=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        except REFUSALS as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("注销申请已提交，本单位管理员确认后账号即注销。"))
            return redirect("service:my_service")
    return _render_page(request, member, form)


@member_action(fallback=_my_page)
def closure_withdraw(request, pk, member):
    closure = get_object_or_404(AccountClosure, pk=pk, member=member)
    services.closure_withdraw(closure=closure, by=request.user)
    return _("已撤回注销申请。")
