"""Reads about letters: who a letter goes to, who may send what to whom, a member's inbox and a
letter's delivery counts. Each answers in a fixed number of queries, however many recipients."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from volunteering import scopes
from volunteering.activities.models import ActivityPage
from volunteering.admin.policy import managed_organisation_ids, staff_community_ids
from volunteering.communities.models import CommunityPage
from volunteering.letters.models import Delivery, Letter
from volunteering.people.models import Member, Organisation
from volunteering.signups.models import SignUp
from volunteering.teams.models import Team, TeamMembership

SENDER_NOT_ALLOWED = _("您不能以这个发信方发送信件。")
SENDER_MISSING = _("请选择发信的单位或社区。")
AUDIENCE_MISSING = _("请选择收信的%(what)s。")
AUDIENCE_NOT_ALLOWED = _("这个发信方不能给所选的收信人发信：%(audience)s。")

Sender = Letter.Sender
Audience = Letter.Audience

# The field naming each audience's group, and what to call it in an error.
AUDIENCE_TARGETS = {
    Audience.ORGANISATION: ("audience_organisation", _("单位")),
    Audience.COMMUNITY: ("audience_community", _("社区")),
    Audience.TEAM: ("audience_team", _("服务队")),
    Audience.ACTIVITY: ("audience_activity", _("活动")),
}
# Which audiences each sender may address (the city: all of them).
SENDER_AUDIENCES = {
    Sender.CITY: set(Audience.values),
    Sender.ORGANISATION: {Audience.ORGANISATION, Audience.TEAM},
    Sender.COMMUNITY: {Audience.COMMUNITY, Audience.TEAM, Audience.ACTIVITY},
}
ACTIVITY_RECIPIENT_STATES = (*SignUp.HOLDING_STATES, SignUp.State.WAITLISTED)


# --- Who receives a letter -------------------------------------------------------------------


def audience_members(letter: Letter) -> QuerySet[Member]:
    """The members a letter goes to now (active accounts only)."""
    members = Member.objects.filter(user__is_active=True)
    match letter.audience:
        case Audience.ALL:
            return members
        case Audience.ORGANISATION:
            return members.filter(organisation_id=letter.audience_organisation_id)
        case Audience.COMMUNITY:
            reported = Member.objects.filter(
                reports__community_id=letter.audience_community_id,
                reports__state__in=scopes.ACTIVE_REPORT_STATES,
            )
            return members.filter(pk__in=reported.values("pk"))
        case Audience.TEAM:
            in_team = TeamMembership.objects.filter(
                team_id=letter.audience_team_id, state=TeamMembership.State.APPROVED
            )
            return members.filter(pk__in=in_team.values("member_id"))
        case Audience.ACTIVITY:
            signed_up = SignUp.objects.filter(
                activity_id=letter.audience_activity_id, state__in=ACTIVITY_RECIPIENT_STATES
            )
            return members.filter(pk__in=signed_up.values("member_id"))
    return members.none()


def recipient_count(letter: Letter) -> int:
    return audience_members(letter).count()


# --- Who may send what to whom ---------------------------------------------------------------


def may_send_as(user, letter: Letter) -> bool:
    """May `user` write and send as the letter's sender?"""
    if scopes.is_city_admin(user):
        return True
    if letter.sender == Sender.ORGANISATION:
        return letter.organisation_id in managed_organisation_ids(user)
    if letter.sender == Sender.COMMUNITY:
        return letter.community_id in staff_community_ids(user)
    return False


def sender_error(user, letter: Letter):
    """Why `user` may not send as this letter's sender, or None."""
    if letter.sender == Sender.ORGANISATION and not letter.organisation_id:
        return SENDER_MISSING
    if letter.sender == Sender.COMMUNITY and not letter.community_id:
        return SENDER_MISSING
    return None if may_send_as(user, letter) else SENDER_NOT_ALLOWED


def audience_error(letter: Letter):
    """Why the letter's sender may not address its audience, or None: an organisation
    addresses its own members and teams; a community those reported to it, its teams and the
    sign-ups of its activities; the city anyone."""
    audience = Audience(letter.audience) if letter.audience in Audience.values else None
    if audience is None:
        return AUDIENCE_MISSING % {"what": _("对象")}
    if audience in AUDIENCE_TARGETS:
        field, what = AUDIENCE_TARGETS[audience]
        if getattr(letter, f"{field}_id") is None:
            return AUDIENCE_MISSING % {"what": what}
    refused = AUDIENCE_NOT_ALLOWED % {"audience": audience.label}
    if audience not in SENDER_AUDIENCES.get(letter.sender, set()):
        return refused
    if letter.sender == Sender.CITY:
        return None
    return None if _within_sender(letter, audience) else refused


def _within_sender(letter: Letter, audience) -> bool:
    if letter.sender == Sender.ORGANISATION:
        if audience == Audience.ORGANISATION:
            return letter.audience_organisation_id == letter.organisation_id
        return letter.audience_team.organisation_id == letter.organisation_id
    if audience == Audience.COMMUNITY:
        return letter.audience_community_id == letter.community_id
    if audience == Audience.TEAM:
        return letter.audience_team.community_id == letter.community_id
    return letter.audience_activity.path.startswith(letter.community.path)


@dataclass(frozen=True)
class Choices:
    """What a user may pick in the letter form: senders, and the groups they may address."""

    senders: list[str]
    organisations: QuerySet
    communities: QuerySet
    teams: QuerySet
    activities: QuerySet


def choices_for(user) -> Choices:
    if scopes.is_city_admin(user):
        return Choices(
            senders=list(Sender.values),
            organisations=Organisation.objects.all(),
            communities=CommunityPage.objects.all(),
            teams=Team.objects.all(),
            activities=ActivityPage.objects.all(),
        )
    organisation_ids = managed_organisation_ids(user)
    community_ids = staff_community_ids(user)
    senders = [Sender.ORGANISATION] * bool(organisation_ids) + [Sender.COMMUNITY] * bool(
        community_ids
    )
    paths = list(CommunityPage.objects.filter(pk__in=community_ids).values_list("path", flat=True))
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return Choices(
        senders=senders,
        organisations=Organisation.objects.filter(pk__in=organisation_ids),
        communities=CommunityPage.objects.filter(pk__in=community_ids),
        teams=Team.objects.filter(
            Q(organisation_id__in=organisation_ids) | Q(community_id__in=community_ids)
        ),
        activities=ActivityPage.objects.filter(under),
    )


# --- Notices on the bulletin board: readable by anyone ------------------------------------------


def public_notices() -> QuerySet[Letter]:
    """Letters published and marked 在宣传栏公开: anyone may read them, signed in or not."""
    return Letter.objects.filter(live=True, public=True).select_related("organisation", "community")


def public_notice(pk: int) -> Letter | None:
    return public_notices().filter(pk=pk).first()


def community_notices(community, limit: int) -> list[Letter]:
    """A community's own public notices, newest sent first (one query)."""
    notices = public_notices().filter(sender=Sender.COMMUNITY, community=community)
    return list(notices.order_by(F("sent_at").desc(nulls_last=True), "-pk")[:limit])


# --- Deliveries: the staff's counts, the member's inbox ---------------------------------------


@dataclass(frozen=True)
class DeliveryCounts:
    total: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    read: int = 0


def delivery_counts(letter_ids) -> dict[int, DeliveryCounts]:
    """Counts per letter (one query for any number of letters)."""
    rows = (
        Delivery.objects.filter(letter_id__in=list(letter_ids))
        .values("letter_id")
        .annotate(
            total=Count("pk"),
            queued=Count("pk", filter=Q(status=Delivery.Status.QUEUED)),
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
            read=Count("pk", filter=Q(read_at__isnull=False)),
        )
    )
    return {
        row.pop("letter_id"): DeliveryCounts(**row)  # type: ignore[arg-type]
        for row in rows
    }


def inbox(member: Member) -> QuerySet[Delivery]:
    """The member's letters, newest first (letters since unpublished are withdrawn)."""
    return (
        Delivery.objects.filter(member=member, letter__live=True)
        .select_related("letter", "letter__organisation", "letter__community")
        .order_by("-queued_at", "-pk")
    )


def unread_count(member: Member | None) -> int:
    if member is None:
        return 0
    return Delivery.objects.filter(member=member, letter__live=True, read_at__isnull=True).count()


def delivery_for(member: Member | None, letter_id: int) -> Delivery | None:
    """The member's own delivery of a letter, or None (the inbox answers 404 for it)."""
    if member is None:
        return None
    return inbox(member).filter(letter_id=letter_id).first()
