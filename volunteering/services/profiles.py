"""A member keeps their own profile: skills, residence community, phone, privacy consent."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from volunteering import errors
from volunteering.models import CommunityPage, Member
from workflows.statemachine import record_actor


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
    record_actor(member, by=by, reason="profile")
    member.save()
    member.skills.set(skills)
    return member
