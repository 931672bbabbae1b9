"""The admin of letters (通知信件): a Wagtail snippet (drafts, revisions, locking, the editorial
workflow for the city's letters), scoped like the rest of the volunteering admin: the city sees
all letters, an organisation's admins and a community's staff see their own senders' letters.
Each letter row offers 发送, 发送情况 and 打印."""

import functools

from django import forms
from django.contrib.admin.utils import unquote
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.action_menu import (
    PublishMenuItem,
    SubmitForModerationMenuItem,
    UnpublishMenuItem,
)
from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
)

from volunteering.admin.policy import (
    ALL,
    POLICIES,
    SCOPES,
    Scope,
    ScopedPermissionPolicy,
    register_scopes,
    scoped_queryset,
)
from volunteering.admin.revisions import DraftRevertMixin, SafeNextUnscheduleView
from volunteering.letters import admin_views
from volunteering.letters.forms import LetterForm
from volunteering.letters.models import Letter
from volunteering.scopes import is_city_admin

# The city writes and edits, but publishes only through the editorial workflow (no "publish"):
# its letters must be approved. Organisations and communities publish their own notices.
CITY_ACTIONS = ALL | {"lock", "unlock"}
SENDER_ACTIONS = ALL | {"lock", "unlock", "publish"}

register_scopes(
    {
        Letter: Scope(
            city=CITY_ACTIONS,
            staff=SENDER_ACTIONS,
            organisation=SENDER_ACTIONS,
            by_community=lambda ids: Q(sender=Letter.Sender.COMMUNITY, community_id__in=ids),
            by_organisation=lambda ids: Q(
                sender=Letter.Sender.ORGANISATION, organisation_id__in=ids
            ),
        )
    }
)


class LetterPolicy(ScopedPermissionPolicy):
    """The letters' scope, and one rule more: a letter once sent is kept (its recipients'
    inboxes and its delivery records), so nobody deletes it, one at a time or in bulk."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.sent_at is not None:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


POLICIES[Letter] = LetterPolicy(Letter, SCOPES[Letter])
register_permission_policy(Letter, POLICIES[Letter], exact_class=True)

SENT_LETTER_KEPT = _("已发送的信件不能删除：收信人的来信和发送记录都要保留。")
VIEW_OR_CHANGE = ("view", "change")


def letter_visible(user, pk) -> bool:
    """May `user` open this letter in the admin: its sender's staff, or a reviewer whose
    workflow task waits on it."""
    if scoped_queryset(Letter, user, VIEW_OR_CHANGE).filter(pk=pk).exists():
        return True
    letter = Letter.objects.filter(pk=pk).first()
    task = letter.current_workflow_task if letter else None
    return bool(task and task.user_can_access_editor(letter, user))


def letter_buttons(letter) -> list[Button]:
    """发送, 发送情况, 打印张贴: on each row of the list and in the editor's header menu."""
    links = (
        ("send", _("发送"), "mail", 5),
        ("deliveries", _("发送情况"), "list-ul", 6),
        ("print", _("打印张贴"), "doc-full", 7),
    )
    return [
        Button(
            label,
            url=reverse(f"volunteering_letter:{name}", args=[letter.pk]),
            icon_name=icon,
            priority=priority,
        )
        for name, label, icon, priority in links
    ]


class LetterIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *letter_buttons(instance)]


class LetterEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *letter_buttons(self.object)]


class LetterCreateView(CreateView):
    """A new letter's workflow follows the sender chosen in the form (the city's by default
    for the city): "提交审核" for the city's letters, none for a community's notice."""

    @cached_property
    def workflow(self):
        sender = self.request.POST.get("sender") if self.request.method == "POST" else None
        if sender is None and is_city_admin(self.request.user):
            sender = Letter.Sender.CITY
        return Letter(sender=sender).get_workflow() if sender else None


def adjust_action_menu(menu_items: list, request, context: dict) -> None:
    """The editor's buttons follow the letter policy, not Django's model permissions (which
    Wagtail's snippet menu asks): 发布 for an organisation's or community's staff, never for the
    city; 提交审核 on a new letter for the city (whose letters go through the workflow)."""
    if context.get("model") is not Letter:
        return
    user = request.user
    may_publish = POLICIES[Letter].user_has_permission(user, "publish")
    wanted = {PublishMenuItem: may_publish and not context.get("locked_for_user")}
    if context.get("view") == "create":
        wanted[SubmitForModerationMenuItem] = is_city_admin(user)
    orders = {PublishMenuItem: 30, SubmitForModerationMenuItem: 60}
    for item_class, shown in wanted.items():
        present = [item for item in menu_items if type(item) is item_class]
        if shown and not present:
            menu_items.append(item_class(order=orders[item_class]))
        if not shown:
            for item in present:
                menu_items.remove(item)
    if not may_publish:  # its view asks the same policy
        menu_items[:] = [item for item in menu_items if type(item) is not UnpublishMenuItem]
    menu_items.sort(key=lambda item: item.order)


class LetterDeleteView(DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if self.object.sent_at is not None:
            messages.error(request, SENT_LETTER_KEPT)
            return redirect("volunteering_letter:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class _OwnLetters:
    """The letter chooser (every snippet has one) lists and returns only the user's letters:
    it listed every community's drafts (found by tests/portal/test_permission_sweep.py)."""

    def get_object_list(self):
        return scoped_queryset(Letter, self.request.user, VIEW_OR_CHANGE)

    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)

    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=pks)


class LetterChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = type("ChooseView", (_OwnLetters, chooser.ChooseView), {})
    choose_results_view_class = type("ResultsView", (_OwnLetters, chooser.ChooseResultsView), {})
    chosen_view_class = type("ChosenView", (_OwnLetters, chooser.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ChosenMultipleView", (_OwnLetters, chooser.SnippetChosenMultipleView), {}
    )


class LetterViewSet(SnippetViewSet):
    chooser_viewset_class = LetterChooserViewSet
    model = Letter
    icon = "mail"
    menu_label = _("通知信件")
    base_url_path = "volunteering/letter"
    admin_url_namespace = "volunteering_letter"
    # Its menu item is in the 志愿服务 group: no 片段 (Snippets) menu for it.
    menu_item_is_registered = True
    index_view_class = LetterIndexView
    add_view_class = LetterCreateView
    edit_view_class = LetterEditView
    delete_view_class = LetterDeleteView
    revisions_unschedule_view_class = SafeNextUnscheduleView
    list_per_page = 30
    list_display = [
        "title",
        Column("sender", label=_("发信方"), accessor="get_sender_display"),
        Column("audience", label=_("收信人"), accessor="get_audience_display"),
        Column("recipients", label=_("收信人数"), sort_key="recipients"),
        Column("read", label=_("已读"), sort_key="read"),
        Column("failed", label=_("发送失败"), sort_key="failed"),
        DateColumn("sent_at", label=_("发送时间")),
    ]
    list_filter = ["sender", "audience", "live"]
    search_fields = None
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("body"),
            FieldPanel("signature"),
            MultiFieldPanel(
                [
                    FieldPanel("sender"),
                    FieldRowPanel(
                        [FieldPanel("organisation"), FieldPanel("community", widget=forms.Select)]
                    ),
                ],
                heading=_("发信方"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("audience"),
                    FieldRowPanel(
                        [
                            FieldPanel("audience_organisation"),
                            FieldPanel("audience_community", widget=forms.Select),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("audience_team"),
                            FieldPanel("audience_activity", widget=forms.Select),
                        ]
                    ),
                ],
                heading=_("收信人"),
                help_text=_("按所选的收信人，选择其中一项：单位、社区、服务队或活动。"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("by_email"), FieldPanel("by_text")])],
                heading=_("发送方式（站内信总会送达）"),
            ),
            FieldPanel("public"),
        ],
        base_form_class=LetterForm,
    )

    @property
    def revisions_revert_view_class(self):
        return type(
            "LetterRevertView",
            (DraftRevertMixin, self.edit_view_class),
            {"view_name": "revisions_revert"},
        )

    def get_queryset(self, request):
        deliveries_read = Q(deliveries__read_at__isnull=False)
        return (
            scoped_queryset(Letter, request.user, VIEW_OR_CHANGE)
            .select_related("latest_revision", "locked_by")
            .annotate(
                recipients=Count("deliveries"),
                read=Count("deliveries", filter=deliveries_read),
                failed=Count("deliveries", filter=Q(deliveries__status="failed")),
            )
        )

    def construct_view(self, view_class, **kwargs):
        """Every view of one letter answers 404 to a user outside its scope."""
        view = super().construct_view(view_class, **kwargs)

        @functools.wraps(view)
        def scoped(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None and not letter_visible(request.user, unquote(str(pk))):
                raise Http404
            return view(request, *args, **view_kwargs)

        return scoped

    def get_urlpatterns(self):
        pages = {
            "send": admin_views.LetterSendView,
            "deliveries": admin_views.LetterDeliveriesView,
            "resend": admin_views.LetterResendView,
        }
        return super().get_urlpatterns() + [
            *(path(f"{name}/<int:pk>/", view.as_view(), name=name) for name, view in pages.items()),
            path("print/<int:pk>/", admin_views.letter_print, name="print"),
        ]


letters_viewset = LetterViewSet()


class SendFormatter(LogFormatter):
    label = _("发送信件")

    def format_message(self, log_entry):
        count = log_entry.data.get("recipients", 0)
        return _("发送信件，新增收信人 %(count)s 位") % {"count": count}


class ResendFormatter(LogFormatter):
    label = _("向未读者重新发送")

    def format_message(self, log_entry):
        count = log_entry.data.get("recipients", 0)
        return _("向未读的 %(count)s 位收信人重新发送") % {"count": count}
