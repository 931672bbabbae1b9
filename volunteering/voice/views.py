"""Residents' voice on the public site (no account needed): sending a message to a community,
the receipt with its code, and the progress page that reads a code.

Rules live in `volunteering.voice.services` (including the flood limit), reads in
`volunteering.voice.selectors`. The progress page never shows the resident's name or phone."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.http import client_address
from portal.page_paths import first_page_of_type
from volunteering import errors
from volunteering.communities.models import CommunityIndexPage, CommunityPage, CountyPage
from volunteering.communities.selectors import (
    counties_with_community_counts,
    county_communities,
)
from volunteering.voice import services as voice
from volunteering.voice.forms import FeedbackForm, ReceiptLookupForm
from volunteering.voice.models import Feedback, new_receipt_code, readable_receipt_code
from volunteering.voice.selectors import feedback_for_receipt

RECEIPT_SESSION_KEY = "feedback_receipt"

# What the progress page says of each state, in the resident's words (never "being handled"
# before anyone has taken the message up).
STATE_NOTES = {
    Feedback.State.SUBMITTED: gettext_lazy("留言已送达，正在等待社区受理；受理后会开始办理。"),
    Feedback.State.ACCEPTED: gettext_lazy("社区已受理，正在安排人员办理，办结后会在这里答复您。"),
    Feedback.State.ASSIGNED: gettext_lazy("社区已安排专人办理，办结后会在这里答复您。"),
    Feedback.State.CLOSED: gettext_lazy("这件事已办结。"),
    Feedback.State.REJECTED: gettext_lazy("社区没有受理这件事。"),
}


def _too_many_submissions() -> str:
    return _("提交过于频繁，请一小时后再试；急事请直接致电社区。")


def _too_many_lookups() -> str:
    return _("查询过于频繁，请稍后再试。")


def _form_page(request, community, form, *, status: int = 200, refusal: str = ""):
    context = {"community": community, "form": form, "refusal": refusal}
    return render(request, "volunteering/voice/feedback_form.html", context, status=status)


@require_http_methods(["GET"])
def feedback_choose(request):
    """我要提意见/求助 from the home page, in two taps: the counties (each with its number of
    communities), then the chosen county's communities (`?county=`), each opening its form.
    Never the city's 256 communities on one page: each step has a few dozen links at most."""
    county_id = request.GET.get("county", "")
    if county_id:
        if not county_id.isdigit():
            raise Http404
        county = get_object_or_404(CountyPage.objects.live().public(), pk=int(county_id))
        context = {"county": county, "communities": county_communities(county=county)}
    else:
        root = first_page_of_type(CommunityIndexPage)
        context = {"counties": counties_with_community_counts(root=root) if root else []}
    return render(request, "volunteering/voice/feedback_choose.html", context)


@require_http_methods(["GET", "POST"])
def feedback_create(request, pk: int):
    """GET: the form on a page of its own; POST: check, limit, save, then the receipt."""
    community = get_object_or_404(CommunityPage.objects.live().public(), pk=pk)
    if request.method == "GET":
        return _form_page(request, community, FeedbackForm())
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _form_page(request, community, form)
    if not voice.submission_allowed(address=client_address(request)):
        return _form_page(request, community, form, status=429, refusal=_too_many_submissions())
    if form.is_bot():
        # Pretend it worked (with a code that belongs to nothing): a program told that it was
        # caught learns to avoid the trap, one told "thank you" moves on.
        return _receipt_page(request, community, code=new_receipt_code(), kind=form["kind"].value())
    data = form.cleaned_data
    try:
        feedback = voice.feedback_submit(
            community=community,
            kind=data["kind"],
            text=data["text"],
            name=data["name"],
            phone=data["phone"],
            by=request.user,
        )
    except errors.ServiceError as exc:
        return _form_page(request, community, form, refusal=str(exc.message))
    # The receipt is shown after a redirect (a reload must not send the message twice); the
    # code travels in the session, not in the address, which ends up in logs and histories.
    request.session[RECEIPT_SESSION_KEY] = feedback.code
    return redirect("service:feedback_receipt")


def _receipt_page(request, community, *, code: str, kind: str):
    context = {
        "community": community,
        "code": readable_receipt_code(code),
        "kind_label": Feedback.Kind(kind).label,
    }
    return render(request, "volunteering/voice/feedback_receipt.html", context)


def feedback_receipt(request):
    code = request.session.get(RECEIPT_SESSION_KEY)
    feedback = feedback_for_receipt(code) if code else None
    if feedback is None:
        return redirect("service:feedback_status")
    return _receipt_page(request, feedback.community, code=feedback.code, kind=feedback.kind)


@require_http_methods(["GET", "POST"])
def feedback_status(request):
    """Progress by receipt code. The code is POSTed (not put in the address), and lookups are
    limited per client so that codes cannot be found by trying many."""
    if request.method == "GET":
        return _status_page(request, ReceiptLookupForm())
    form = ReceiptLookupForm(request.POST)
    if not voice.lookup_allowed(address=client_address(request)):
        return _status_page(request, form, status=429, refusal=_too_many_lookups())
    if not form.is_valid():
        return _status_page(request, form)
    feedback = feedback_for_receipt(form.cleaned_data["code"])
    # Once found, the box below is for looking up another code: start it empty.
    form = ReceiptLookupForm() if feedback else form
    return _status_page(request, form, feedback=feedback, looked_up=True)


def _status_page(request, form, *, feedback=None, looked_up=False, status=200, refusal=""):
    context = {
        "form": form,
        "feedback": feedback,
        "looked_up": looked_up,
        "refusal": refusal,
        "steps": _steps(feedback) if feedback else [],
        "state_note": STATE_NOTES[feedback.state] if feedback else "",
    }
    return render(request, "volunteering/voice/feedback_status.html", context, status=status)


def _steps(feedback: Feedback) -> list[dict]:
    """The stages a resident sees: received, taken up, being handled, closed. A request
    closed straight after it was taken up, never handed to a member or a team, did not go
    through 办理中: that step is left out rather than shown as done."""
    state = feedback.state
    if state == Feedback.State.REJECTED:
        return [
            {"label": _("已提交"), "done": True},
            {"label": Feedback.State.REJECTED.label, "done": True, "current": True},
        ]
    stages = [
        ("submitted", _("已提交")),
        ("accepted", _("已受理")),
        ("assigned", _("办理中")),
        ("closed", _("已办结")),
    ]
    handled = bool(feedback.assigned_member_id or feedback.assigned_team_id)
    if state == Feedback.State.CLOSED and not handled:
        stages = [stage for stage in stages if stage[0] != "assigned"]
    reached = [name for name, _label in stages].index(state)
    return [
        {"label": label, "done": i <= reached, "current": i == reached}
        for i, (_name, label) in enumerate(stages)
    ]
