"""A member's letters on "my service": the inbox (/my/letters/) and one letter, which opening
marks read. A letter the member did not receive answers 404, as one that does not exist.
And a notice on the bulletin board (/notices/<id>/), readable without signing in when its
staff made it public (在宣传栏公开); any other letter answers 404 there."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from volunteering.letters.selectors import delivery_for, inbox, public_notice, unread_count
from volunteering.letters.services import delivery_mark_read
from volunteering.people.selectors import member_for_request

PER_PAGE = 20


@login_required
def letter_inbox(request):
    member = member_for_request(request)
    page = None
    if member is not None:
        page = Paginator(inbox(member), PER_PAGE).get_page(request.GET.get("page"))
    context = {"member": member, "letters_page": page, "unread": unread_count(member)}
    return render(request, "volunteering/letters/inbox.html", context)


@login_required
def letter_detail(request, pk: int):
    member = member_for_request(request)
    delivery = delivery_for(member, pk)
    if delivery is None:
        raise Http404
    delivery_mark_read(delivery=delivery)
    context = {"member": member, "delivery": delivery, "letter": delivery.letter}
    return render(request, "volunteering/letters/detail.html", context)


def notice_detail(request, pk: int):
    """A public notice, for residents who scan the QR code of the printed notice."""
    letter = public_notice(pk)
    if letter is None:
        raise Http404
    return render(request, "volunteering/letters/notice.html", {"letter": letter})
