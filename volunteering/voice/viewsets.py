"""The admin of residents' voice (听取民意): residents' items (居民诉求) — recorded, triaged,
assigned and closed by their community's staff — and good deeds (办好事实事).

Built like the other volunteering viewsets: one scoped permission policy (staff see and act on
their own communities' items only, the city on all; an item elsewhere answers 404), workflow
actions offered from `FEEDBACK_WORKFLOW.available()`, and every change made by the services in
`volunteering.voice.services`. The policies are registered here, before the viewsets exist."""

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms as django_forms
from django.db.models import Count, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log

from volunteering import scopes
from volunteering.admin.dashboard import AwaitingItem, state_queue
from volunteering.admin.filters import _community, _date_range
from volunteering.admin.forms import ScopedAdminForm
from volunteering.admin.policy import EDIT, Scope, register_scopes
from volunteering.admin.viewsets import VIEWSETS, OfferedAction, ScopedModelViewSet
from volunteering.people.models import Member
from volunteering.teams.models import Team
from volunteering.voice import services as voice_services
from volunteering.voice.models import Feedback, GoodDeed
from volunteering.voice.selectors import escalation_days, overdue_feedback
from volunteering.voice.workflows import FEEDBACK_WORKFLOW

VOICE_SCOPES = {
    # Items are never deleted: closing or turning one down keeps the record and its history.
    Feedback: Scope(city=EDIT, staff=EDIT, by_community=lambda ids: Q(community_id__in=ids)),
    GoodDeed: Scope(
        staff=frozenset({"add", "change", "delete", "view"}),
        by_community=lambda ids: Q(community_id__in=ids),
    ),
}
register_scopes(VOICE_SCOPES)


ASSIGNEE_NOT_HERE = _("请从本社区已确认报到的党员或本社区的服务队中选择。")
DEED_PEOPLE_NOT_HERE = _("参与的党员须已在该社区确认报到，服务队须属于该社区。")
OFFLINE_CHANNELS = [c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.ONLINE]


class FeedbackRecordForm(ScopedAdminForm):
    """An item heard offline: staff say where it came from (a visit, a forum…)."""

    class Meta:
        model = Feedback
        fields = ["community", "kind", "channel", "heard_on", "text", "name", "phone"]
        widgets = {"heard_on": AdminDateInput, "text": django_forms.Textarea(attrs={"rows": 5})}
        help_texts = {"phone": _("居民的姓名和电话只有本社区工作人员和市级管理员能看到。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = OFFLINE_CHANNELS
        self.fields["channel"].initial = Feedback.Channel.VISIT


class FeedbackEditForm(ScopedAdminForm):
    """Correcting an item (e.g. its kind, when a resident picked the wrong one); its state
    changes only through the actions."""

    class Meta:
        model = Feedback
        fields = ["kind", "heard_on", "text", "name", "phone"]
        widgets = {"heard_on": AdminDateInput, "text": django_forms.Textarea(attrs={"rows": 5})}


class FeedbackAssignForm(django_forms.Form):
    member = django_forms.ModelChoiceField(
        label=_("承办党员"), queryset=Member.objects.none(), required=False
    )
    team = django_forms.ModelChoiceField(
        label=_("承办服务队"), queryset=Team.objects.none(), required=False
    )
    reason = django_forms.CharField(
        label=_("备注（选填）"),
        required=False,
        max_length=1000,
        widget=django_forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, *, feedback: Feedback):
        super().__init__(data)
        community_id = feedback.community_id
        self.fields["member"].queryset = voice_services.assignable_members(
            community_id
        ).select_related("organisation")
        self.fields["team"].queryset = Team.objects.filter(community_id=community_id)
        self.initial = {"member": feedback.assigned_member_id, "team": feedback.assigned_team_id}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member") and not cleaned.get("team") and not self.errors:
            raise django_forms.ValidationError(voice_services.FEEDBACK_NO_ASSIGNEE)
        return cleaned


class GoodDeedForm(ScopedAdminForm):
    class Meta:
        model = GoodDeed
        fields = ["community", "title", "done_on", "members", "teams", "note"]
        widgets = {
            "done_on": AdminDateInput,
            "members": django_forms.CheckboxSelectMultiple,
            "teams": django_forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        communities = self.fields["community"].queryset
        self.fields["members"].queryset = (
            Member.objects.filter(
                reports__community__in=communities, reports__state="confirmed"
            ).distinct()
            if self.for_user is not None
            else Member.objects.none()
        )
        self.fields["teams"].queryset = Team.objects.filter(community__in=communities)

    def clean(self):
        cleaned = super().clean()
        # A new deed has no community until one is chosen: reading the relation would raise.
        community = cleaned.get("community") or (
            self.instance.community if self.instance.community_id else None
        )
        members, teams = cleaned.get("members") or [], cleaned.get("teams") or []
        if community is None:
            return cleaned
        here = set(voice_services.assignable_members(community.pk).values_list("pk", flat=True))
        if any(m.pk not in here for m in members) or any(
            t.community_id != community.pk for t in teams
        ):
            raise django_forms.ValidationError(DEED_PEOPLE_NOT_HERE)
        return cleaned


class FeedbackFilterSet(WagtailFilterSet):
    community = _community("community")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Feedback.Kind.choices, empty_label=_("全部")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Feedback.State.choices, empty_label=_("全部")
    )
    channel = django_filters.ChoiceFilter(
        label=_("来源渠道"), choices=Feedback.Channel.choices, empty_label=_("全部")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("办理结果"), choices=Feedback.Outcome.choices, empty_label=_("全部")
    )
    heard_on = _date_range("heard_on", _("收集日期"))
    overdue = django_filters.ChoiceFilter(
        label=_("超期"),
        choices=[("1", _("超期未受理"))],
        empty_label=_("全部"),
        method="filter_overdue",
    )

    class Meta:
        model = Feedback
        fields = []

    def filter_overdue(self, queryset, name, value):
        return overdue_feedback(queryset) if value else queryset


class GoodDeedFilterSet(WagtailFilterSet):
    community = _community("community")
    done_on = _date_range("done_on", _("办理日期"))

    class Meta:
        model = GoodDeed
        fields = []


def _reason(data: dict) -> str:
    return (data.get("reason") or "").strip()


@dataclass(frozen=True)
class AssignAction(OfferedAction):
    """Assigning needs a member or team of the item's community, not just a reason."""

    feedback: Any = None

    def form(self, data=None):
        return FeedbackAssignForm(data, feedback=self.feedback)


def _assign(obj, by, data):
    return voice_services.feedback_assign(
        feedback=obj, by=by, member=data.get("member"), team=data.get("team"), note=_reason(data)
    )


def _close(outcome):
    def perform(obj, by, data):
        return voice_services.feedback_close(
            feedback=obj, by=by, outcome=outcome, note=_reason(data)
        )

    return perform


def _excerpt(feedback) -> str:
    return Truncator(feedback.text).chars(40)


class FeedbackViewSet(ScopedModelViewSet):
    model = Feedback
    icon = "mail"
    menu_label = _("居民诉求")
    workflow = FEEDBACK_WORKFLOW
    rows_open = "inspect"  # the triage: the item, its actions and its timeline
    filterset_class = FeedbackFilterSet
    search_fields = ["code", "text"]
    list_select_related = ("community", "assigned_member", "assigned_team")
    list_display = [
        Column("excerpt", label=_("内容"), accessor=_excerpt),
        "kind",
        "community",
        "channel",
        "heard_on",
        "state",
        Column("assignee", label=_("承办"), accessor="assignee"),
    ]
    # Exports leave the resident's name and phone out: a spreadsheet travels further than the
    # admin, and the figures and follow-up need neither.
    list_export = [
        "code",
        "get_kind_display",
        "community",
        "get_channel_display",
        "heard_on",
        "text",
        "get_state_display",
        "assignee",
        "get_outcome_display",
        "outcome_note",
        "created_at",
        "closed_at",
    ]
    export_headings = {
        "code": _("回执码"),
        "heard_on": _("收集日期"),
        "text": _("内容"),
        "outcome_note": _("答复"),
        "created_at": _("登记时间"),
        "closed_at": _("办结时间"),
        "community": _("社区"),
        "get_kind_display": _("类型"),
        "get_channel_display": _("来源渠道"),
        "get_state_display": _("状态"),
        "assignee": _("承办"),
        "get_outcome_display": _("办理结果"),
    }
    inspect_view_fields = [
        "code",
        "community",
        "kind",
        "channel",
        "heard_on",
        "text",
        "name",
        "phone",
        "state",
        "assigned_member",
        "assigned_team",
        "outcome",
        "outcome_note",
        "recorded_by",
        "created_at",
        "closed_at",
    ]
    services = {
        "accept": lambda o, by, d: voice_services.feedback_accept(
            feedback=o, by=by, note=_reason(d)
        ),
        "assign": _assign,
        "resolve": _close(Feedback.Outcome.RESOLVED),
        "answer": _close(Feedback.Outcome.ANSWERED),
        "refer": _close(Feedback.Outcome.REFERRED),
        "reject": lambda o, by, d: voice_services.feedback_reject(
            feedback=o, by=by, reason=_reason(d)
        ),
        "reopen": lambda o, by, d: voice_services.feedback_reopen(
            feedback=o, by=by, reason=_reason(d)
        ),
    }
    reason_labels = {
        "resolve": _("办理结果（将公开答复居民）"),
        "answer": _("答复内容（将公开答复居民）"),
        "refer": _("转交给哪个部门、如何跟进（将公开答复居民）"),
        "reject": _("不予受理的原因（将告知居民）"),
        "reopen": _("重新办理的原因"),
    }

    def get_form_class(self, for_update=False):
        return FeedbackEditForm if for_update else FeedbackRecordForm

    def inspect_value(self, request, obj, field_name):
        if field_name == "code":
            return obj.readable_code
        return None

    def offered_actions(self, user, obj):
        return [
            AssignAction(**{**action.__dict__, "feedback": obj})
            if action.name == "assign"
            else action
            for action in super().offered_actions(user, obj)
        ]

    def create_instance(self, request, form):
        data = form.cleaned_data
        feedback = voice_services.feedback_record(
            community=data["community"],
            kind=data["kind"],
            channel=data["channel"],
            text=data["text"],
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            heard_on=data.get("heard_on"),
            by=request.user,
        )
        log(feedback, "wagtail.create", user=request.user)
        return feedback


class GoodDeedViewSet(ScopedModelViewSet):
    model = GoodDeed
    icon = "pick"
    menu_label = _("好事实事")
    form_class = GoodDeedForm
    filterset_class = GoodDeedFilterSet
    search_fields = ["title", "note"]
    list_select_related = ("community",)
    list_display = [
        "title",
        "community",
        "done_on",
        Column("people", label=_("参与党员"), sort_key="people"),
    ]
    list_export = ["title", "community", "done_on", "people", "note"]
    export_headings = {
        "title": _("事项"),
        "done_on": _("办理日期"),
        "note": _("说明"),
        "community": _("社区"),
        "people": _("参与党员"),
    }
    inspect_view_fields = ["title", "community", "done_on", "members", "teams", "note"]

    def annotate(self, request, queryset):
        return queryset.annotate(people=Count("members", distinct=True))

    def create_instance(self, request, form):
        data = form.cleaned_data
        deed = voice_services.good_deed_record(
            community=data["community"],
            title=data["title"],
            done_on=data.get("done_on"),
            members=data.get("members") or (),
            teams=data.get("teams") or (),
            note=data.get("note", ""),
            by=request.user,
        )
        log(deed, "wagtail.create", user=request.user)
        return deed


# --- The 待我处理 panel: new requests for their community's staff, late ones for the city ------

NEW_FEEDBACK_QUEUE = state_queue(Feedback, Feedback.State.SUBMITTED, _("待受理的居民诉求"))
OVERDUE_LABEL = _("超过 %(days)s 天未受理的居民诉求（督办）")


def overdue_feedback_queue(user) -> AwaitingItem | None:
    """For the city: requests no one accepted in `VOICE_ESCALATION_DAYS` (one count query)."""
    if not scopes.is_city_admin(user):
        return None
    label = OVERDUE_LABEL % {"days": escalation_days()}
    count = overdue_feedback().count()
    return AwaitingItem(str(label), count, VIEWSETS[Feedback].index_url_with(overdue="1"))


feedback_viewset = FeedbackViewSet()
good_deeds_viewset = GoodDeedViewSet()


class VoiceViewSetGroup(ModelViewSetGroup):
    menu_label = _("听取民意")
    menu_icon = "mail"
    menu_order = 151
    items = (feedback_viewset, good_deeds_viewset)
