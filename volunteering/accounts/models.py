"""Members' accounts: one-time codes sent to a member's phone to set a new password, and
activation invitations (激活邀请) sent by email or text message to members imported or added
without a password. Every row is one send; its use is recorded on it (`used_at`), and
django-simple-history keeps who changed it and why.

Secrets are never stored: a code or a link's token is kept as an HMAC of the site's secret key
(`volunteering.accounts.services.secret_digest`), so a copy of the database gives no way in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.history import TransitionRecord


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    TEXT = "text", _("短信")


class OneTimeCode(models.Model):
    """A 6-digit code sent to a member's phone to set a new password: expires, works once,
    and gives up after a few wrong tries."""

    # A log row, not content: Wagtail's reference index (the admin's usage counts) has nothing
    # to learn from it, and would queue a task on every save.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="one_time_codes",
    )
    phone = models.CharField(_("发送到"), max_length=30)
    code_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    history = HistoricalRecords(bases=[TransitionRecord], excluded_fields=["code_digest"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        indexes = [models.Index(fields=["phone", "-created_at"], name="code_phone_created")]

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Sent, not used, not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An activation invitation: a link that lets a member set their password once, within
    `INVITATION_DAYS`. Sent by their organisation's admins, the staff of a community they
    reported to, or the city."""

    # A log row, not content: Wagtail's reference index (the admin's usage counts) has nothing
    # to learn from it, and would queue a task on every save.
    wagtail_reference_index_ignore = True

    member = models.ForeignKey(
        "volunteering.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    channel = models.CharField(_("发送方式"), max_length=10, choices=Channel.choices)
    sent_to = models.CharField(_("发送到"), max_length=254)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("激活时间"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(bases=[TransitionRecord], excluded_fields=["token_digest"])

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("激活邀请")
        verbose_name_plural = _("激活邀请")
        indexes = [models.Index(fields=["member", "-sent_at"], name="invitation_member_sent")]

    def __str__(self):
        return f"{self.member} {self.sent_at:%Y-%m-%d}"


class PasswordResetEmail(models.Model):
    """A password-reset link sent by email (`portal.password_reset`). The link's token is
    Django's (made from the account's state, never stored): a row is one send, and its use is
    recorded on the newest unused row of the account when a new password is set by a link."""

    # A log row, not content: Wagtail's reference index (the admin's usage counts) has nothing
    # to learn from it, and would queue a task on every save.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="password_reset_emails",
    )
    sent_to = models.EmailField(_("发送到"), blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    history = HistoricalRecords(bases=[TransitionRecord])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("找回密码邮件")
        verbose_name_plural = _("找回密码邮件")
        indexes = [models.Index(fields=["user", "-created_at"], name="resetemail_user_created")]

    def __str__(self):
        return f"{self.sent_to} {self.created_at:%Y-%m-%d %H:%M}"
