"""Admin views of activation invitations, under the members admin: invite one member (with
the invitations sent to them so far), or every member of the user's scope who has not activated
their account and has no open invitation, in one action.

Who may invite whom is `selectors.invitable_members` (an organisation's admins their members,
a community's staff the members reported to it, the city everyone): a member outside it is a
404, as if they did not exist."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from volunteering import errors
from volunteering.accounts import selectors, services
from volunteering.accounts.models import Channel, Invitation

INVITATION_SENT = _("激活邀请已发送给%(name)s，%(days)s 天内有效。")


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("发送方式"),
        choices=Channel.choices,
        initial=Channel.EMAIL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            # For one member, each way says where it goes (or that it cannot), before sending.
            self.fields["channel"].choices = [
                (Channel.EMAIL, _channel_label(Channel.EMAIL.label, member.user.email, NO_EMAIL)),
                (Channel.TEXT, _channel_label(Channel.TEXT.label, member.phone, NO_PHONE)),
            ]


NO_EMAIL = _("未登记邮箱")
NO_PHONE = _("未登记手机号")


def _channel_label(label, address: str, missing) -> str:
    return _("%(channel)s（%(address)s）") % {"channel": label, "address": address or missing}


class _InvitationBase(WagtailAdminTemplateMixin, View):
    viewset = None
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.viewset.index_url, "label": self.viewset.menu_label},
            {"url": "", "label": self.get_page_title()},
        ]


class InviteMemberView(_InvitationBase):
    template_name = "volunteering/accounts/invite_member.html"
    page_title = _("发送激活邀请")

    def dispatch(self, request, pk, *args, **kwargs):
        member = (
            selectors.invitable_members(request.user)
            .select_related("user", "organisation")
            .filter(pk=pk)
            .first()
        )
        if member is None:
            raise Http404
        self.member = member
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.member.real_name

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member,
            status=selectors.ACTIVATION_LABELS[selectors.member_activation(self.member)],
            activated=self.member.user.has_usable_password(),
            invitations=Invitation.objects.filter(member=self.member).select_related("sent_by"),
            days=services.INVITATION_DAYS,
            **kwargs,
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ChannelForm(member=self.member)))

    def post(self, request):
        form = ChannelForm(request.POST, member=self.member)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.invitation_send(
                member=self.member, channel=form.cleaned_data["channel"], by=request.user
            )
        except errors.ServiceError as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            INVITATION_SENT % {"name": self.member.real_name, "days": services.INVITATION_DAYS},
        )
        return redirect(request.path)


class InviteAllView(_InvitationBase):
    """Everyone in scope (of one organisation, with ?organisation=) not activated and not
    invited: one action."""

    template_name = "volunteering/accounts/invite_all.html"
    page_title = _("邀请未激活的党员")

    def members(self):
        members = selectors.invitable_members(self.request.user).filter(
            **{"pk__in": selectors.not_activated_uninvited()}
        )
        wanted = self.request.GET.get("organisation", "")
        if wanted.isdigit():
            members = members.filter(organisation_id=int(wanted))
        return members.select_related("user", "organisation").order_by("organisation", "real_name")

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_invite_anyone(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ChannelForm()))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            count=self.members().count(), days=services.INVITATION_DAYS, **kwargs
        )

    def post(self, request):
        form = ChannelForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = services.invitations_send(
            members=list(self.members()), channel=form.cleaned_data["channel"], by=request.user
        )
        messages.success(
            request,
            ngettext("已发送 %(count)s 份激活邀请。", "已发送 %(count)s 份激活邀请。", result.sent)
            % {"count": result.sent},
        )
        for member, reason in result.skipped:
            messages.warning(request, f"{member.real_name}：{reason}")
        return redirect(self.viewset.index_url)
