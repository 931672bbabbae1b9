"""Reads about members: the signed-in member, who may print a member's service file, and
which account a phone number signs in to."""

from django.contrib.auth import get_user_model

from volunteering.people.models import Member
from volunteering.people.phones import phone_canonical
from volunteering.scopes import can_see_member_phone


def member_for_page(*, user) -> Member | None:
    """The member record of a signed-in user, with what every member page shows of it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Member.objects.select_related("organisation", "residence_community", "user")
        .filter(user=user)
        .first()
    )


def member_for_request(request) -> Member | None:
    """`member_for_page` for the request's user, looked up once per request."""
    if not hasattr(request, "_volunteering_member"):
        request._volunteering_member = member_for_page(user=request.user)
    return request._volunteering_member


def may_print_service_file(user, member: Member) -> bool:
    """The member themselves, staff of a community they reported to (pending or confirmed),
    their organisation's admins and the city: the same people who may see their phone."""
    return can_see_member_phone(user, member)


def login_username(identifier: str) -> str:
    """The username to sign in with, for what was typed into "用户名或手机号": a username as it
    stands; else a phone number of exactly one active member (any way it is written) gives
    their username. Anything else is returned unchanged (or as a phone's canonical form), so
    that an unknown identifier fails like a wrong password, and the login limits count every
    spelling of one phone number as one."""
    identifier = identifier.strip()
    users = get_user_model().objects
    if users.filter(username=identifier).exists():
        return identifier
    canonical = phone_canonical(identifier)
    if canonical is None:
        return identifier
    usernames = list(
        users.filter(member__phone=canonical, is_active=True).values_list("username", flat=True)[:2]
    )
    return usernames[0] if len(usernames) == 1 else canonical
