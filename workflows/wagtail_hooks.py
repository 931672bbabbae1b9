"""Admin: review scopes (审核范围) under Settings, for those holding the model's permissions
(superusers and whoever the city gives them to)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from workflows.models import ReviewScope


class ReviewScopeIndexView(IndexView):
    def get_base_queryset(self):
        # each row shows its group and page: fetched with the rows, not one query per row
        return super().get_base_queryset().select_related("group", "page")


class ReviewScopeViewSet(ModelViewSet):
    model = ReviewScope
    index_view_class = ReviewScopeIndexView
    icon = "group"
    menu_label = _("审核范围")
    add_to_settings_menu = True
    list_display = ["group", "page"]
    list_filter = ["group"]
    panels = [FieldPanel("group"), FieldPanel("page")]
    ordering = ["page__path", "group__name"]


@hooks.register("register_admin_viewset")
def register_review_scope_viewset():
    return ReviewScopeViewSet("review_scopes")
