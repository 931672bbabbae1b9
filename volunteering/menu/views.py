"""The service menu on the public site: a need and claiming it, a post and pledging to it, and
withdrawing a claim or a pledge."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.forms import PledgeForm
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.menu.selectors import labelled, open_needs, with_claim_of, with_places
from volunteering.people.selectors import member_for_request
from volunteering.people.views import REFUSALS, _my_page, _safe_next, member_action, refusal_message


def need_detail(request, pk):
    member = member_for_request(request)
    needs = Need.objects.filter(community__live=True).select_related("community")
    need = get_object_or_404(with_claim_of(with_places(needs), member), pk=pk)
    labelled([need], "my_claim_state", NeedClaim.State)
    context = {
        "need": need,
        "member": member,
        "missing_message": errors.MEMBER_RECORD_MISSING,
        "claimable": open_needs().filter(pk=need.pk).exists(),
        "skills": list(need.skills.all()),
    }
    return render(request, "volunteering/menu/need.html", context)


def _need_page(request, pk) -> str:
    return reverse("service:need_detail", args=[pk])


@member_action(fallback=_need_page)
def claim_create(request, pk, member):
    need = get_object_or_404(Need, pk=pk)
    menu.claim_create(need=need, member=member)
    return _("已认领“%(need)s”，请等待社区工作人员确认。") % {"need": need.title}


@member_action(fallback=_my_page)
def claim_withdraw(request, pk, member):
    claim = get_object_or_404(NeedClaim, pk=pk, member=member)
    menu.claim_withdraw(claim=claim, by=request.user)
    return _("已撤回认领。")


def post_detail(request, pk):
    """A post (岗位) and, for a signed-in member, the pledge form."""
    post = get_object_or_404(
        Post.objects.filter(community__live=True).select_related("community"), pk=pk
    )
    member = member_for_request(request)
    if request.method == "POST" and member is None:
        return redirect_to_login(request.get_full_path())
    form = PledgeForm(request.POST or None) if member else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            menu.pledge_create(post=post, member=member, **form.cleaned_data)
        except REFUSALS as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("领岗承诺已提交，请等待社区工作人员确认。"))
            return redirect(_safe_next(request, reverse("service:my_service")))
    mine = None
    if member is not None:
        mine = post.pledges.filter(member=member, state__in=menu.ACTIVE_PLEDGE_STATES).first()
    context = {
        "post": post,
        "member": member,
        "form": form,
        "my_pledge": mine,
        "missing_message": errors.MEMBER_RECORD_MISSING,
    }
    return render(request, "volunteering/menu/post.html", context)


@member_action(fallback=_my_page)
def pledge_withdraw(request, pk, member):
    pledge = get_object_or_404(PostPledge, pk=pk, member=member)
    menu.pledge_withdraw(pledge=pledge, by=request.user)
    return _("已撤回领岗承诺。")
