"""Reads of residents' voice: the public status of a receipt code, and the four figures of the
programme's report that come from it — for a community, a county or the whole city, each in
one aggregate query per model.

- suggestions heard (听取群众意见建议): suggestions taken up (accepted, assigned or closed);
- disputes resolved (化解矛盾纠纷): disputes closed with the outcome "resolved";
- difficulties solved (解决实际困难): requests for help closed with the outcome "resolved";
- good deeds done (办好事实事): good deeds recorded."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.voice.models import Feedback, GoodDeed, normalise_receipt_code

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


@dataclass(frozen=True)
class VoiceFigures:
    suggestions_heard: int = 0
    disputes_resolved: int = 0
    difficulties_solved: int = 0
    good_deeds_done: int = 0


def feedback_for_receipt(code: str) -> Feedback | None:
    """The item with this receipt code (as typed: case, spaces and dashes do not matter), with
    only its public fields loaded."""
    code = normalise_receipt_code(code)
    if not code:
        return None
    return (
        Feedback.objects.filter(code=code).select_related("community").only(*PUBLIC_FIELDS).first()
    )


def _community_filter(*, community: CommunityPage | None, county: CountyPage | None) -> Q:
    if community is not None:
        return Q(community_id=community.pk)
    if county is not None:
        # Communities are the county page's children in the page tree.
        return Q(community__path__startswith=county.path, community__depth=county.depth + 1)
    return Q()


def _feedback_counts():
    return {
        "suggestions_heard": Count("pk", filter=SUGGESTIONS_HEARD),
        "disputes_resolved": Count("pk", filter=DISPUTES_RESOLVED),
        "difficulties_solved": Count("pk", filter=DIFFICULTIES_SOLVED),
    }


def voice_figures(
    *, community: CommunityPage | None = None, county: CountyPage | None = None
) -> VoiceFigures:
    """The four figures for one community, one county, or (neither given) the city."""
    where = _community_filter(community=community, county=county)
    counts = Feedback.objects.filter(where).aggregate(**_feedback_counts())
    deeds = GoodDeed.objects.filter(where).count()
    return VoiceFigures(**counts, good_deeds_done=deeds)


def voice_figures_by_community(*, county: CountyPage | None = None) -> dict[int, VoiceFigures]:
    """The figures of every community (of a county, or of the city) that has any, by community
    id: two grouped queries, however many communities there are."""
    where = _community_filter(community=None, county=county)
    rows = (
        Feedback.objects.filter(where)
        .order_by()
        .values("community_id")
        .annotate(**_feedback_counts())
    )
    counts = {row.pop("community_id"): row for row in rows}
    deeds = dict(
        GoodDeed.objects.filter(where)
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    return {
        community_id: VoiceFigures(
            **counts.get(community_id, {}), good_deeds_done=deeds.get(community_id, 0)
        )
        for community_id in counts.keys() | deeds.keys()
    }


# --- Waiting too long: what the city is told of (voice.alerts, the dashboard) --------------

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
