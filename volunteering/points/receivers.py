"""Points follow the workflows: the only path by which deeds earn (or lose) points."""

from django.dispatch import receiver

from volunteering.menu.models import PostPledge
from volunteering.points.services import (
    feedback_points_settle,
    pledge_points_settle,
    signup_points_settle,
)
from volunteering.signups.models import SignUp
from volunteering.signups.signals import attendance_corrected
from volunteering.voice.models import Feedback
from workflows.statemachine import transitioned


def _touches(source: str, transition, states) -> bool:
    return transition.target in states or source in states


@receiver(transitioned, sender=SignUp, dispatch_uid="volunteering.points.signup")
def _signup_transitioned(sender, instance, transition, source, by=None, **kwargs):
    if _touches(source, transition, {SignUp.State.ATTENDED, SignUp.State.NO_SHOW}):
        signup_points_settle(signup=instance, by=by)


@receiver(attendance_corrected, sender=SignUp, dispatch_uid="volunteering.points.hours")
def _attendance_corrected(sender, instance, by=None, **kwargs):
    signup_points_settle(signup=instance, by=by)  # corrected hours earn the difference


@receiver(transitioned, sender=PostPledge, dispatch_uid="volunteering.points.pledge")
def _pledge_transitioned(sender, instance, transition, source, by=None, **kwargs):
    if _touches(source, transition, {PostPledge.State.FULFILLED}):
        pledge_points_settle(pledge=instance, by=by)


@receiver(transitioned, sender=Feedback, dispatch_uid="volunteering.points.feedback")
def _feedback_transitioned(sender, instance, transition, source, by=None, **kwargs):
    if _touches(source, transition, {Feedback.State.CLOSED}):
        feedback_points_settle(feedback=instance, by=by)
