"""Reads about members' accounts: whether a member has activated theirs (已激活 / 已邀请 /
未激活), who may invite whom, and the activation rate of each organisation."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import CharField as CharFieldType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering import scopes
from volunteering.accounts.models import Invitation
from volunteering.admin.policy import members_reported_to, staff_community_ids
from volunteering.people.models import Member, Organisation

ACTIVE = "active"
INVITED = "invited"
INACTIVE = "inactive"
ACTIVATION_LABELS = {ACTIVE: _("已激活"), INVITED: _("已邀请"), INACTIVE: _("未激活")}

# An account is activated once it has a password: Django marks "no password" with a leading "!".
HAS_PASSWORD = ~Q(user__password__startswith="!") & ~Q(user__password="")


def open_invitation() -> Exists:
    """For a Member queryset: an invitation sent and neither used nor expired."""
    return Exists(Invitation.objects.open(timezone.now()).filter(member=OuterRef("pk")))


def has_password() -> Exists:
    """For a Member queryset: HAS_PASSWORD as a correlated EXISTS on the member's account, not a
    join. The members list annotates every row with its status: through a join on the
    accounts, its count (which drops the unused annotation but not the join) walked all 29,000
    accounts of the city (28 ms on SQLite at city scale, 0.4 ms at 3,000 members); without the
    join it reads the member table's smallest index."""
    accounts = get_user_model().objects.filter(pk=OuterRef("user_id"))
    return Exists(accounts.exclude(password__startswith="!").exclude(password=""))


def activation_status() -> Case:
    """For a Member queryset: ACTIVE, INVITED or INACTIVE (one expression, no extra query)."""
    return Case(
        When(has_password(), then=Value(ACTIVE)),
        When(open_invitation(), then=Value(INVITED)),
        default=Value(INACTIVE),
        output_field=CharFieldType(),
    )


def member_activation(member: Member) -> str:
    return Member.objects.filter(pk=member.pk).values_list(activation_status(), flat=True).get()


def invitable_condition(user) -> Q:
    """The members `user` may invite: the city every member, an organisation's admins their
    organisation's, a community's staff those reported to their community (pending or
    confirmed) — the people who may see the member's phone, but never oneself."""
    if scopes.is_city_admin(user):
        return Q(pk__isnull=False)
    condition = Q(organisation__admins=user) if user.is_authenticated else Q(pk__in=[])
    if community_ids := staff_community_ids(user):
        condition |= members_reported_to(community_ids)
    return condition


def may_invite(user, member: Member) -> bool:
    if not getattr(user, "is_authenticated", False) or member.user_id == user.pk:
        return False
    return Member.objects.filter(invitable_condition(user), pk=member.pk).exists()


def may_invite_anyone(user) -> bool:
    """Whether `user` is someone who invites at all (the city, an organisation's admin or a
    community's staff), for the bulk action's button and page."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(scopes.manages_organisations(user) or staff_community_ids(user))


def not_activated_uninvited() -> QuerySet[Member]:
    """Members with no password and no open invitation (未激活), as a subquery of ids."""
    return Member.objects.exclude(HAS_PASSWORD).exclude(open_invitation()).values("pk")


def invitable_members(user) -> QuerySet[Member]:
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    return Member.objects.filter(invitable_condition(user)).exclude(user=user).distinct()


@dataclass
class ActivationRate:
    roll: int
    activated: int

    @property
    def percent(self) -> float | None:
        return round(self.activated * 100 / self.roll, 1) if self.roll else None


def organisation_activation_rates(
    organisations: QuerySet[Organisation],
) -> dict[int, ActivationRate]:
    """Each organisation's members and how many have activated their account (one query)."""
    rows = organisations.annotate(
        roll=Count("members", distinct=True),
        activated=Count(
            "members",
            filter=~Q(members__user__password__startswith="!") & ~Q(members__user__password=""),
            distinct=True,
        ),
    ).values_list("pk", "roll", "activated")
    return {pk: ActivationRate(roll, activated) for pk, roll, activated in rows}


def invitation_for_token(digest: str) -> Invitation | None:
    """The open invitation whose token has this digest, with its member and account."""
    return (
        Invitation.objects.open(timezone.now())
        .select_related("member__user")
        .filter(token_digest=digest)
        .first()
    )
