"""The admin of the service menu: needs (with the members whose skills match), claims, posts and
pledges, with their workflow actions; and the dashboard queues of claims and pledges to decide."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log

from volunteering.admin.dashboard import state_queue
from volunteering.admin.policy import ALL, VIEW, Scope, register_scopes
from volunteering.admin.viewsets import ScopedModelViewSet, _generic_perform, _reason
from volunteering.menu import services as menu_services
from volunteering.menu.filters import (
    NeedClaimFilterSet,
    NeedFilterSet,
    PostFilterSet,
    PostPledgeFilterSet,
)
from volunteering.menu.forms import NeedForm, PostForm
from volunteering.menu.models import Need, NeedClaim, Post, PostPledge
from volunteering.menu.selectors import members_matching_need
from volunteering.menu.workflows import CLAIM_WORKFLOW, NEED_WORKFLOW, PLEDGE_WORKFLOW

register_scopes(
    {
        Need: Scope(staff=ALL, by_community=lambda ids: Q(community_id__in=ids)),
        NeedClaim: Scope(
            city=VIEW, staff=VIEW, by_community=lambda ids: Q(need__community_id__in=ids)
        ),
        Post: Scope(staff=ALL, by_community=lambda ids: Q(community_id__in=ids)),
        PostPledge: Scope(
            city=VIEW, staff=VIEW, by_community=lambda ids: Q(post__community_id__in=ids)
        ),
    }
)


MATCHES_SHOWN = 50


class NeedViewSet(ScopedModelViewSet):
    model = Need
    icon = "list-ul"
    menu_label = _("服务需求")
    form_class = NeedForm
    workflow = NEED_WORKFLOW
    filterset_class = NeedFilterSet
    search_fields = ["title", "description"]
    list_select_related = ("community",)
    list_display = [
        "title",
        "community",
        "places",
        Column("claim_count", label=_("有效认领"), sort_key="claim_count"),
        "starts_on",
        "ends_on",
        "state",
    ]
    list_export = [
        "title",
        "community",
        "description",
        "skills_text",
        "places",
        "claim_count",
        "starts_on",
        "ends_on",
        "get_state_display",
        "created_at",
    ]
    export_headings = {
        "title": _("需求名称"),
        "description": _("需求说明"),
        "places": _("需要人数"),
        "starts_on": _("开始日期"),
        "ends_on": _("结束日期"),
        "created_at": _("发布时间"),
        "community": _("社区"),
        "skills_text": _("所需特长"),
        "claim_count": _("有效认领"),
        "get_state_display": _("状态"),
    }
    export_values = {"skills_text": lambda n: "、".join(s.name for s in n.skills.all())}
    export_prefetch_related = ("skills",)
    inspect_view_fields = [
        "title",
        "community",
        "description",
        "skills",
        "places",
        "starts_on",
        "ends_on",
        "state",
        "created_at",
    ]
    services = {
        "close": lambda o, by, d: menu_services.need_close(need=o, by=by, reason=_reason(d)),
        "reopen": _generic_perform(NEED_WORKFLOW, "reopen"),
    }

    def annotate(self, request, queryset):
        return queryset.annotate(
            claim_count=Count("claims", filter=Q(claims__state__in=NeedClaim.ACTIVE_STATES))
        )

    def create_instance(self, request, form):
        data = form.cleaned_data
        need = menu_services.need_create(
            community=data["community"],
            title=data["title"],
            by=request.user,
            description=data.get("description", ""),
            skills=data.get("skills", ()),
            places=data["places"],
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        log(need, "wagtail.create", user=request.user)
        return need

    def row_links(self, request, obj):
        return [(_("认领"), claims_viewset.index_url_with(need=obj.pk))]

    def inspect_extra(self, request, obj) -> dict:
        # 社区所需, 党员所长: the community's confirmed members whose skills fit, best first.
        return {"matching_members": members_matching_need(need=obj, limit=MATCHES_SHOWN)}


class NeedClaimViewSet(ScopedModelViewSet):
    model = NeedClaim
    icon = "success"
    menu_label = _("需求认领")
    workflow = CLAIM_WORKFLOW
    filterset_class = NeedClaimFilterSet
    search_fields = ["member__real_name", "need__title"]
    list_select_related = ("member__organisation", "need__community")
    list_display = [
        "member",
        "need",
        Column("need.community", label=_("社区"), sort_key="need__community"),
        "state",
        "created_at",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "need",
        "need.community",
        "get_state_display",
        "outcome",
        "created_at",
    ]
    export_headings = {
        "outcome": _("服务结果"),
        "created_at": _("认领时间"),
        "need": _("服务需求"),
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "need.community": _("社区"),
        "get_state_display": _("状态"),
    }
    inspect_view_fields = ["member", "need", "state", "outcome", "created_at", "state_changed_at"]
    services = {
        "confirm": lambda o, by, d: menu_services.claim_confirm(claim=o, by=by, note=_reason(d)),
        "decline": lambda o, by, d: menu_services.claim_decline(claim=o, by=by, reason=_reason(d)),
        "withdraw": lambda o, by, d: menu_services.claim_withdraw(
            claim=o, by=by, reason=_reason(d)
        ),
        "complete": lambda o, by, d: menu_services.claim_complete(
            claim=o, by=by, outcome=_reason(d)
        ),
    }
    reason_labels = {"decline": _("不通过的理由"), "complete": _("服务结果")}


class PostViewSet(ScopedModelViewSet):
    model = Post
    icon = "pick"
    menu_label = _("服务岗位")
    form_class = PostForm
    filterset_class = PostFilterSet
    search_fields = ["title", "description"]
    list_select_related = ("community",)
    list_display = [
        "title",
        "community",
        Column("pledge_count", label=_("有效承诺"), sort_key="pledge_count"),
    ]
    list_export = ["title", "community", "description", "pledge_count"]
    export_headings = {
        "title": _("岗位名称"),
        "description": _("岗位职责"),
        "community": _("社区"),
        "pledge_count": _("有效承诺"),
    }
    inspect_view_fields = ["title", "community", "description"]

    def annotate(self, request, queryset):
        live = Q(pledges__state__in=menu_services.ACTIVE_PLEDGE_STATES)
        return queryset.annotate(pledge_count=Count("pledges", filter=live))

    def row_links(self, request, obj):
        return [(_("承诺"), pledges_viewset.index_url_with(post=obj.pk))]


class PostPledgeViewSet(ScopedModelViewSet):
    model = PostPledge
    icon = "form"
    menu_label = _("领岗承诺")
    workflow = PLEDGE_WORKFLOW
    filterset_class = PostPledgeFilterSet
    search_fields = ["member__real_name", "post__title", "commitment"]
    list_select_related = ("member__organisation", "post__community")
    list_display = [
        "member",
        "post",
        Column("post.community", label=_("社区"), sort_key="post__community"),
        "starts_on",
        "ends_on",
        "state",
    ]
    list_export = [
        "member.real_name",
        "member.organisation",
        "post",
        "post.community",
        "commitment",
        "starts_on",
        "ends_on",
        "get_state_display",
        "created_at",
    ]
    export_headings = {
        "commitment": _("承诺内容"),
        "starts_on": _("开始日期"),
        "ends_on": _("结束日期"),
        "created_at": _("承诺时间"),
        "post": _("服务岗位"),
        "member.real_name": _("姓名"),
        "member.organisation": _("工作单位"),
        "post.community": _("社区"),
        "get_state_display": _("状态"),
    }
    inspect_view_fields = [
        "member",
        "post",
        "commitment",
        "starts_on",
        "ends_on",
        "state",
        "created_at",
        "state_changed_at",
    ]
    services = {
        "accept": lambda o, by, d: menu_services.pledge_accept(pledge=o, by=by, note=_reason(d)),
        "decline": lambda o, by, d: menu_services.pledge_decline(
            pledge=o, by=by, reason=_reason(d)
        ),
        "withdraw": lambda o, by, d: menu_services.pledge_withdraw(
            pledge=o, by=by, reason=_reason(d)
        ),
        "fulfil": lambda o, by, d: menu_services.pledge_fulfil(pledge=o, by=by, note=_reason(d)),
    }
    reason_labels = {"decline": _("不接受的理由")}


needs_viewset = NeedViewSet()


claims_viewset = NeedClaimViewSet()


posts_viewset = PostViewSet()


pledges_viewset = PostPledgeViewSet()


# What waits on the dashboard (待我处理).
CLAIM_QUEUE = state_queue(NeedClaim, NeedClaim.State.PENDING, _("待确认的需求认领"))


PLEDGE_QUEUE = state_queue(PostPledge, PostPledge.State.PENDING, _("待接受的领岗承诺"))
