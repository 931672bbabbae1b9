"""How each staff member hears of residents' requests (docs/residents-heard.md): at once or in
a daily digest. The table is the volunteering app's, as before (`volunteering_staffalerts`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffAlerts(models.Model):
    """How one staff member hears of new residents' requests in their communities (and, for
    the city, of requests no one accepted in time): one email per request, or one a day. Staff
    without a row get them one by one (`alerts.services`)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("每条新诉求即时发邮件")
        DAILY = "daily", _("每天汇总发一封邮件")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="voice_alerts",
    )
    delivery = models.CharField(
        _("新居民诉求的邮件提醒"),
        max_length=12,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
    )
    digest_sent_at = models.DateTimeField(_("上次汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("居民诉求提醒设置")
        verbose_name_plural = _("居民诉求提醒设置")

    def __str__(self):
        return f"{self.user} {self.get_delivery_display()}"
