"""Reads of residents' voice: the public status of a receipt code, and the rules of the four
figures of the programme's report that come from it (counted, dated and scoped by
`volunteering.figures.selectors`, where every figure is defined):

- suggestions heard (听取群众意见建议): suggestions taken up (accepted, assigned or closed);
- disputes resolved (化解矛盾纠纷): disputes closed with the outcome "resolved";
- difficulties solved (解决实际困难): requests for help closed with the outcome "resolved";
- good deeds done (办好事实事): good deeds recorded."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from volunteering.voice.models import Feedback, normalise_receipt_code

# What the public status page may read: never the resident's name or phone.
PUBLIC_FIELDS = (
    "code",
    "kind",
    "channel",
    "state",
    "outcome",
    "outcome_note",
    "created_at",
    "state_changed_at",
    "closed_at",
    "community__title",
    "community__url_path",
)
SUGGESTIONS_HEARD = Q(kind=Feedback.Kind.SUGGESTION, state__in=Feedback.HEARD_STATES)
_SOLVED = Q(state=Feedback.State.CLOSED, outcome=Feedback.Outcome.RESOLVED)
DISPUTES_RESOLVED = Q(kind=Feedback.Kind.DISPUTE) & _SOLVED
DIFFICULTIES_SOLVED = Q(kind=Feedback.Kind.HELP) & _SOLVED


def feedback_for_receipt(code: str) -> Feedback | None:
    """The item with this receipt code (as typed: case, spaces and dashes do not matter), with
    only its public fields loaded."""
    code = normalise_receipt_code(code)
    if not code:
        return None
    return (
        Feedback.objects.filter(code=code).select_related("community").only(*PUBLIC_FIELDS).first()
    )


# --- Waiting too long: what the city is told of (alerts.services, the dashboard) -----------

DEFAULT_ESCALATION_DAYS = 3


def escalation_days() -> int:
    """After how many days a request no one accepted goes to the city (VOICE_ESCALATION_DAYS)."""
    return int(getattr(settings, "VOICE_ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS))


def overdue_feedback(
    queryset: QuerySet[Feedback] | None = None, *, now: datetime.datetime | None = None
) -> QuerySet[Feedback]:
    """Requests still waiting to be accepted `escalation_days()` after they arrived."""
    queryset = Feedback.objects.all() if queryset is None else queryset
    cutoff = (now or timezone.now()) - datetime.timedelta(days=escalation_days())
    return queryset.filter(state=Feedback.State.SUBMITTED, created_at__lte=cutoff)


def new_online_feedback(
    community_ids, *, since: datetime.datetime, until: datetime.datetime
) -> QuerySet[Feedback]:
    """What residents sent these communities online in [since, until): a daily digest."""
    return Feedback.objects.filter(
        community_id__in=community_ids,
        channel=Feedback.Channel.ONLINE,
        created_at__gte=since,
        created_at__lt=until,
    ).select_related("community")
