"""Writes about activities: a member's calendar token, the secret in the URL of their private
iCalendar feed (`volunteering.calendars.views`), made on first use and replaced on request."""

import secrets

from django.db import transaction

from volunteering.people.models import Member

TOKEN_BYTES = 24


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def member_calendar_token(*, member: Member) -> str:
    """The member's calendar token, made on first use."""
    if not member.calendar_token:
        Member.objects.filter(pk=member.pk, calendar_token__isnull=True).update(
            calendar_token=_new_token()
        )
        member.calendar_token = Member.objects.values_list("calendar_token", flat=True).get(
            pk=member.pk
        )
    return member.calendar_token


@transaction.atomic
def member_calendar_token_regenerate(*, member: Member) -> str:
    """A new token: links with the old one stop working (for a link that was shared)."""
    member.calendar_token = _new_token()
    Member.objects.filter(pk=member.pk).update(calendar_token=member.calendar_token)
    return member.calendar_token
