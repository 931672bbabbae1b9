"""The member's profile (/my/profile/), and what every capability's member pages share:
`member_action` (a member's POSTed action, answered with a message) and `refusal_message`.

Views only translate between HTTP and the services: every rule lives in a capability's
`services.py`, every read in its `selectors.py`. A refusal becomes a message the member can read
and changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from volunteering import errors
from volunteering.people import services as profiles
from volunteering.people.forms import ProfileForm
from volunteering.people.selectors import member_for_request
from workflows.statemachine import TransitionConflict

PRIVACY_PAGE_SLUG = "privacy"
REFUSALS = (errors.ServiceError, TransitionConflict, ValidationError, PermissionDenied)


def refusal_message(exc: Exception) -> str:
    """What a member reads when a service or workflow refuses a request."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("您没有权限执行这个操作。")
    return str(exc.message)


def _safe_next(request, fallback: str) -> str:
    """`next` when it is an address on this site (a path: `redirect` would read anything else,
    say "2026-02-30", as a view's name and fail), else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else fallback


def member_action(fallback, *, needs_member: bool = True):
    """A member's POSTed action: signs in first if needed, requires a member record (unless
    `needs_member` is off: a community's staff deciding), and sends the user back to `next`
    (or `fallback(request, pk)`) with a message."""

    def decorator(view):
        @wraps(view)
        @require_POST
        def wrapper(request, pk, *args, **kwargs):
            back = _safe_next(request, fallback(request, pk))
            if not request.user.is_authenticated:
                return redirect_to_login(back)
            member = member_for_request(request)
            if member is None and needs_member:
                messages.error(request, errors.MEMBER_RECORD_MISSING)
                return redirect(back)
            try:
                success = view(request, pk, member, *args, **kwargs)
            except REFUSALS as exc:
                messages.error(request, refusal_message(exc))
            else:
                messages.success(request, success)
            return redirect(back)

        return wrapper

    return decorator


def _my_page(request, pk) -> str:
    return reverse("service:my_service")


@login_required
def member_profile(request):
    member = member_for_request(request)
    form = None
    if member is not None:
        form = ProfileForm(request.POST or None, instance=member)
        if request.method == "POST" and form.is_valid():
            try:
                profiles.member_profile_update(
                    member=member,
                    by=request.user,
                    skills=form.cleaned_data["skills"],
                    other_skills=form.cleaned_data["other_skills"],
                    residence_community=form.cleaned_data["residence_community"],
                    phone=form.cleaned_data["phone"],
                    consent=form.cleaned_data["consent"],
                    hide_from_rankings=form.cleaned_data["hide_from_rankings"],
                )
            except REFUSALS as exc:
                form.add_error(None, refusal_message(exc))
            else:
                messages.success(request, _("个人信息已保存。"))
                return redirect("service:member_profile")
    privacy_page = Page.objects.live().public().filter(slug=PRIVACY_PAGE_SLUG).first()
    context = {
        "member": member,
        "form": form,
        "privacy_page": privacy_page,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/people/member_profile.html", context)
