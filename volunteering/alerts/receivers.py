"""The staff alerts follow residents' voice: a request sent online is emailed to its
community's staff once it is committed (`alerts.tasks`)."""

from django.dispatch import receiver

from volunteering.alerts.tasks import queue_new_feedback_alerts
from volunteering.voice.models import Feedback
from volunteering.voice.signals import feedback_submitted


@receiver(feedback_submitted, sender=Feedback, dispatch_uid="volunteering.alerts.new_feedback")
def _feedback_submitted(sender, feedback, **kwargs):
    queue_new_feedback_alerts(feedback)  # the community's staff are told once it is committed
