"""Reads about members: the signed-in member, and who may print a member's service file."""

from volunteering.people.models import Member
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
