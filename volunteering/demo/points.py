"""Demo points (奉献积分): the demo's attendance, fulfilled pledges and resolved requests earn
their points through the workflow receiver as the demo is built; this settles any that were
recorded before points existed (a demo database loaded earlier), and is safe to run again —
settling writes only what the ledger lacks."""

from volunteering.menu.models import PostPledge
from volunteering.points.services import (
    feedback_points_settle,
    pledge_points_settle,
    signup_points_settle,
)
from volunteering.signups.models import SignUp
from volunteering.voice.models import Feedback


def load_points_demo() -> int:
    """Settle every demo object that earns points; returns how many objects were looked at."""
    settled = 0
    held = SignUp.objects.filter(state__in=[SignUp.State.ATTENDED, SignUp.State.NO_SHOW])
    for signup in held.select_related("activity", "member"):
        signup_points_settle(signup=signup)
        settled += 1
    fulfilled = PostPledge.objects.filter(state=PostPledge.State.FULFILLED)
    for pledge in fulfilled.select_related("post__community", "member"):
        pledge_points_settle(pledge=pledge)
        settled += 1
    for feedback in Feedback.objects.solved().select_related("community", "assigned_member"):
        feedback_points_settle(feedback=feedback)
        settled += 1
    return settled
