"""The admin's views of one letter beyond Wagtail's snippet views: send (the recipient count
first, then a confirmation), its deliveries (counts and the per-recipient list, filterable by
status), resend to those who have not opened it, and the printable A4 notice (宣传栏)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.qr import qr_svg
from volunteering.admin.policy import scoped_queryset
from volunteering.errors import ServiceError
from volunteering.letters import services
from volunteering.letters.forms import ConfirmSendForm
from volunteering.letters.models import Delivery, Letter
from volunteering.letters.selectors import delivery_counts, recipient_count
from volunteering.letters.sending import letter_url, notice_url

DELIVERY_FILTERS = {
    "queued": {"status": Delivery.Status.QUEUED},
    "sent": {"status": Delivery.Status.SENT},
    "failed": {"status": Delivery.Status.FAILED},
    "read": {"read_at__isnull": False},
    "unread": {"read_at__isnull": True},
}
DELIVERY_FILTER_LABELS = {
    "": gettext_lazy("全部"),
    "queued": gettext_lazy("待发送"),
    "sent": gettext_lazy("已发送"),
    "failed": gettext_lazy("发送失败"),
    "read": gettext_lazy("已读"),
    "unread": gettext_lazy("未读"),
}
PER_PAGE = 50


def staff_letter(user, pk, action: str = "change") -> Letter:
    """The letter if `user` may act on it as its sender's staff (404 otherwise)."""
    letter = (
        scoped_queryset(Letter, user, (action,))
        .select_related("organisation", "community")
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404
    return letter


class LetterPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "mail"
    viewset = None
    action = "change"

    def dispatch(self, request, *args, pk, **kwargs):
        self.letter = staff_letter(request.user, pk, self.action)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.letter.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("volunteering_letter:list"), "label": _("通知信件")},
            {"url": "", "label": self.get_page_title()},
        ]

    def urls(self) -> dict:
        pk = self.letter.pk
        names = ("send", "deliveries", "resend", "print", "edit")
        return {name: reverse(f"volunteering_letter:{name}", args=[pk]) for name in names}

    def get_context_data(self, **kwargs):
        return super().get_context_data(letter=self.letter, urls=self.urls(), **kwargs)


class LetterSendView(LetterPage):
    """How many will receive it and by which channels; the send itself after confirmation."""

    template_name = "volunteering/letters/admin/send.html"
    page_title = gettext_lazy("发送信件")

    def get_context_data(self, form=None, **kwargs):
        problem = None
        try:
            services.letter_check(letter=self.letter, by=self.request.user)
        except ServiceError as error:
            problem = error.message
        already = self.letter.deliveries.count()
        return super().get_context_data(
            form=form or ConfirmSendForm(),
            problem=problem,
            recipients=recipient_count(self.letter),
            already=already,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ConfirmSendForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            added = services.letter_send(letter=self.letter, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("已安排发送给 %(count)s 位在职党员；邮件和短信将分批发出。") % {"count": added},
        )
        return redirect("volunteering_letter:deliveries", self.letter.pk)


class LetterDeliveriesView(LetterPage):
    """Per-letter counts and the per-recipient list, filterable by status."""

    template_name = "volunteering/letters/admin/deliveries.html"
    page_title = gettext_lazy("发送情况")
    action = "view"

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("status", "")
        if chosen not in DELIVERY_FILTERS:
            chosen = ""
        deliveries = self.letter.deliveries.select_related("member", "member__organisation")
        deliveries = deliveries.filter(**DELIVERY_FILTERS.get(chosen, {})).order_by("pk")
        page = Paginator(deliveries, PER_PAGE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            counts=delivery_counts([self.letter.pk]).get(self.letter.pk),
            page=page,
            chosen=chosen,
            filters=DELIVERY_FILTER_LABELS.items(),
            **kwargs,
        )


class LetterResendView(LetterPage):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            queued = services.letter_resend_unread(letter=self.letter, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("已重新安排发送给 %(count)s 位未读的在职党员。") % {"count": queued}
            )
        return redirect("volunteering_letter:deliveries", self.letter.pk)


def letter_print(request, pk):
    """The A4 notice for a community's bulletin board (宣传栏): the letter, its sender and a QR
    code, in type large enough for elderly readers. The QR code opens the public notice when
    the letter is public (在宣传栏公开, anyone reads it), else the letter in the member's inbox
    (members sign in to read it)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    letter = staff_letter(request.user, pk, "view")
    public = letter.live and letter.public
    url = notice_url(letter) if public else letter_url(letter)
    context = {
        "letter": letter,
        "public": public,
        "url": url,
        # segno escapes the title; the rest of the markup is numbers
        "qr_code": mark_safe(qr_svg(url, title=_("扫码阅读全文"))),  # noqa: S308
        "printed_at": timezone.localtime(),
    }
    return render(request, "volunteering/letters/print.html", context)
