"""The site's URLs: both admins and their limited sign-ins, feeds, calendars, the members' pages,
the live figures, the API and, last, Wagtail's pages. docs/architecture.md says which package
serves each."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from news import feeds
from portal import (
    accounts,
    api,
    api_tokens,
    draft_privacy,
    health,
    page_cache,
    password_reset,
    screens,
    sitemaps,
    views,
    wagtail_guards,
)
from volunteering import scopes
from volunteering.accounts import views as account_views
from volunteering.calendars import views as calendars
from volunteering.figures import urls as figures_urls
from workflows import audit

# The live figures' public pages under one namespace: volunteering's statistics page
# (figures:statistics) and portal's display screens (figures:screen, figures:screen_community).
figures_patterns = [
    *figures_urls.urlpatterns,
    path("screen/", screens.display_screen, name="screen"),
    path("screen/community/<int:community_id>/", screens.display_screen, name="screen_community"),
]

urlpatterns = [
    # For load balancers and monitors (portal.health, docs/deployment.md).
    path("health/", health.health, name="health"),
    # Django's admin sign-in with the login limits (portal.accounts): ahead of the admin site's
    # URLs, at the same path.
    path("django-admin/login/", accounts.DjangoAdminLoginView.as_view()),
    path("django-admin/", admin.site.urls),
    # Wagtail's site history report, filterable by community and scoped to the user's own
    # communities (workflows.audit): ahead of Wagtail's admin URLs, at the same paths.
    *audit.site_history_urls(
        scopes=scopes.communities_managed_by,
        sees_everything=scopes.is_city_admin,
        scope_label=_("社区"),
    ),
    # Wagtail's admin sign-in with the login limits (portal.accounts): ahead of Wagtail's admin
    # URLs, at the same path.
    path("admin/login/", accounts.AdminLoginView.as_view()),
    # Wagtail's page types report, for whole-site editors only (portal.draft_privacy): ahead
    # of Wagtail's admin URLs, at the same paths and names' targets.
    path("admin/reports/page-types-usage/", draft_privacy.WholeSitePageTypesUsageView.as_view()),
    path(
        "admin/reports/page-types-usage/results/",
        draft_privacy.WholeSitePageTypesUsageView.as_view(results_only=True),
    ),
    # The page chooser's browsing and the bulk actions, only about pages the user may see
    # (portal.draft_privacy): ahead of Wagtail's admin URLs, at the same paths.
    path("admin/choose-page/<int:parent_page_id>/", draft_privacy.page_chooser_browse),
    path("admin/bulk/<str:app_label>/<str:model_name>/<str:action>/", draft_privacy.bulk_action),
    # Wagtail's workflow editor with a page number that is no page, and its redirect import's
    # confirmation without its signed fields (portal.wagtail_guards): ahead of Wagtail's admin
    # URLs, at the same paths.
    path(
        "admin/workflows/edit/<int:pk>/",
        require_admin_access(wagtail_guards.WorkflowEditView.as_view()),
    ),
    path("admin/redirects/import/process/", wagtail_guards.redirect_import_process),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("search/", page_cache.public(views.search), name="search"),
    path("qr/<int:page_id>.svg", views.page_qr_code, name="page_qr_code"),
    path("feeds/news/rss/", feeds.NewsRssFeed(), name="news_rss"),
    path("feeds/news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("sitemap.xml", page_cache.cached_sitemap(sitemaps.sitemap_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        page_cache.cached_sitemap(sitemaps.sitemap_section),
        name="sitemap_section",
    ),
    path(
        "calendar/community/<int:community_id>.ics",
        calendars.community_calendar,
        name="community_calendar",
    ),
    path("calendar/member/<str:token>.ics", calendars.member_calendar, name="member_calendar"),
    path("calendar/mine/", calendars.my_calendar, name="my_calendar"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The account's API tokens (the phone apps signed in with it): listed and revoked.
    path("accounts/tokens/", api_tokens.token_list, name="api_token_list"),
    path("accounts/tokens/<int:pk>/revoke/", api_tokens.token_revoke, name="api_token_revoke"),
    path("accounts/tokens/revoke-all/", api_tokens.token_revoke_all, name="api_token_revoke_all"),
    # Forgotten passwords (portal.password_reset): Django's views, names and URLs.
    path(
        "accounts/password_reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/phone/",
        password_reset.password_reset_phone,
        name="password_reset_phone",
    ),
    path(
        "accounts/password_reset/phone/code/",
        password_reset.password_reset_phone_code,
        name="password_reset_phone_code",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/activate/<str:token>/", account_views.activate, name="activate"),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("volunteering.urls")),
    path("", include((figures_patterns, "figures"))),
    path("api/v1/", api.urls()),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
