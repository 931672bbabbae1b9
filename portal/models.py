"""The portal's own pages (home, standard pages) and site-wide settings."""

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.routing import route_from
from portal.sections import HOME_PAGE_SECTIONS, collect_sections
from portal.sharing import SharingMixin
from workflows.editorial import EditorialWorkflowMixin


class HomePage(EditorialWorkflowMixin, SharingMixin, Page):
    """The programme at a glance: latest news, brand projects, communities, live figures."""

    intro = models.TextField(_("导语"), blank=True)
    figures_note = models.CharField(
        _("数据说明"),
        max_length=200,
        blank=True,
        help_text=_("显示在首页数据区下方的一句话说明。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("figures_note")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "volunteering.CommunityIndexPage",
        "volunteering.ActivityIndexPage",
        "portal.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        """The home page shows what the other apps add through the `home_page_sections` hook
        (portal.sections): it imports none of them."""
        context = super().get_context(request, *args, **kwargs)
        context["page_sections"] = collect_sections(HOME_PAGE_SECTIONS, self, request)
        return context

    def get_meta_description(self):
        return self.search_description or self.intro

    def route(self, request, path_components):
        """Every public URL is routed from here (the site's root page): in one query for the
        whole path, not two per level (portal/routing.py)."""
        return route_from(self, request, path_components)


class StandardPage(EditorialWorkflowMixin, SharingMixin, Page):
    """About, contact and help pages."""

    intro = models.TextField(_("导语"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")
        verbose_name_plural = _("普通页面")

    def get_meta_description(self):
        return self.search_description or self.intro


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """What every page's header, footer and share cards say about the site."""

    site_title = models.CharField(_("网站名称"), max_length=80, default="在职党员进社区服务平台")
    tagline = models.CharField(
        _("标语"), max_length=120, blank=True, default="工作在单位、活动在社区、奉献双岗位"
    )
    organisation = models.CharField(_("主办单位"), max_length=120, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("默认分享图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_title"), FieldPanel("tagline"), FieldPanel("share_image")],
            heading=_("网站"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
                FieldPanel("icp_number"),
            ],
            heading=_("页脚"),
        ),
    ]

    # Read by every page (header, footer, share card): with its share image in the same row,
    # and kept in the shared cache until the next save (`for_site`).
    select_related = ["share_image"]
    CACHE_SECONDS = 600

    class Meta:
        verbose_name = _("门户设置")

    @staticmethod
    def cache_key(site_id: int) -> str:
        return f"portal:settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        """The site's settings from the shared cache: no query on a page once they are read."""
        if site is None:
            return super().for_site(site)
        found = cache.get(cls.cache_key(site.pk))
        if found is None:
            found = super().for_site(site)
            cache.set(cls.cache_key(site.pk), found, cls.CACHE_SECONDS)
        return found

    def save(self, *args, **kwargs):
        """Every process reads the new values on its next page (now, and again on commit: a
        page that read the old row meanwhile does not keep it)."""
        super().save(*args, **kwargs)
        self.forget_cached([self.site_id])

    @classmethod
    def forget_cached(cls, site_ids: list[int] | None = None) -> None:
        """Forget the cached settings of `site_ids` (all sites by default: an image deleted may
        have been a site's share image, which its deletion takes out of the row without a save)."""
        from wagtail.models import Site

        if site_ids is None:
            site_ids = list(Site.objects.values_list("pk", flat=True))
        keys = [cls.cache_key(site_id) for site_id in site_ids]
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


class ApiToken(models.Model):
    """A bearer token of the JSON API (`portal.api_auth`). Only the SHA-256 of the token is
    stored: the token itself is shown once, when it is issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="portal_api_tokens",  # Wagtail's own APIToken has "api_tokens"
    )
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    expires = models.DateTimeField(_("过期时间"), db_index=True)
    # The holder's password fingerprint when issued (Django's session auth hash): a token
    # outlives no change of password, as a signed-in session does not (`portal.api_auth`).
    auth_hash = models.CharField(max_length=128, blank=True, editable=False)
    # What asked for it (the client's User-Agent, shortened), so its holder can tell tokens apart.
    client = models.CharField(_("客户端"), max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """One failed sign-in counted by the login limits (`portal.login_limits`), or a wrong
    one-time code for a password reset (`code_failed`): which account name or phone was tried,
    from which client address, by which way in. The city reads them in the admin (登录失败记录)
    to see guessing; rows older than LOGIN_FAILURE_RETENTION_DAYS are
    deleted by the daily `prune_login_failures` (an address is personal data)."""

    class Way(models.TextChoices):
        SITE = "site", _("网站登录")
        ADMIN = "admin", _("管理后台登录")
        DJANGO_ADMIN = "django_admin", _("Django 管理登录")
        API = "api", _("接口令牌")
        PASSWORD_CHANGE = "password_change", _("修改密码（旧密码错误）")
        RESET_CODE = "reset_code", _("手机验证码（找回密码）")

    # For a wrong code: the phone number it was typed for (whether or not a member has it).
    username = models.CharField(_("用户名或手机号"), max_length=150, db_index=True)
    address = models.CharField(_("客户端地址"), max_length=45, db_index=True)
    way = models.CharField(_("登录方式"), max_length=20, choices=Way.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("登录失败")
        verbose_name_plural = _("登录失败记录")

    def __str__(self):
        return f"{self.username} · {self.address}"
