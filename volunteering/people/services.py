"""A member keeps their own profile: skills, residence community, phone, privacy consent."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Member, Organisation, Skill
from workflows.statemachine import record_actor


def member_lock(member: Member) -> Member:
    """Serialise one member's requests, so that two presses of a button make one request."""
    return Member.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def member_create(
    *,
    organisation: Organisation,
    username: str,
    real_name: str,
    by,
    email: str = "",
    phone: str = "",
    residence_community: CommunityPage | None = None,
    skills: Iterable[Skill] = (),
    other_skills: str = "",
    reason: str = "",
) -> Member:
    """A member and their account, made by their organisation (or the city): the account has
    no usable password until the member sets one through password reset."""
    user = get_user_model()(username=username, email=email, first_name=real_name[:150])
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    member = Member(
        user=user,
        organisation=organisation,
        real_name=real_name,
        phone=phone,
        residence_community=residence_community,
        other_skills=other_skills,
    )
    member.full_clean()
    record_actor(member, by=by, reason=reason)
    member.save()
    member.skills.set(skills)
    return member


@transaction.atomic
def member_profile_update(
    *,
    member: Member,
    by,
    skills,
    other_skills: str,
    residence_community: CommunityPage | None,
    phone: str,
    consent: bool,
    hide_from_rankings: bool | None = None,
) -> Member:
    """Save what the member edits about themselves. Consent to the privacy notice is recorded
    with its time when first given (kept while it stands) and cleared when withdrawn; a phone
    number is kept only with consent."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    phone = phone.strip()
    if phone and not consent:
        raise errors.ServiceError(errors.PHONE_NEEDS_CONSENT, code="invalid")
    member.other_skills = other_skills.strip()
    member.residence_community = residence_community
    member.phone = phone
    if hide_from_rankings is not None:  # None: the caller does not offer the choice
        member.hide_from_rankings = hide_from_rankings
    if not consent:
        member.privacy_consent_at = None
    elif member.privacy_consent_at is None:
        member.privacy_consent_at = timezone.now()
    member.full_clean()
    record_actor(member, by=by)
    member.save()
    member.skills.set(skills)
    return member
