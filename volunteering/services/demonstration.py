"""Designating demonstration communities (示范点): the city's, per county and year, three to
five per county. A sixth is refused; fewer than three is allowed while the city is still
choosing, and the admin says so (`volunteering.selectors.demonstration`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from volunteering.models import CommunityPage, CountyPage, DemonstrationCommunity
from volunteering.scopes import is_city_admin

DEMONSTRATION_MIN = 3
DEMONSTRATION_MAX = 5

DEMONSTRATION_CITY_ONLY = _("只有市委组织部可以认定示范点。")
DEMONSTRATION_TOO_MANY = _(
    "%(county)s%(year)s年已认定%(max)s个示范点，每个县（市、区）每年最多%(max)s个。"
)
DEMONSTRATION_DUPLICATE = _("%(community)s已是%(year)s年的示范点。")


@transaction.atomic
def demonstration_designate(
    *, community: CommunityPage, year: int, by, note: str = ""
) -> DemonstrationCommunity:
    if not is_city_admin(by):
        raise PermissionDenied(DEMONSTRATION_CITY_ONLY)
    county = CountyPage.objects.get(pk=community.get_parent().pk)
    # Lock the county's row: two designations at once cannot both be the sixth.
    CountyPage.objects.select_for_update().filter(pk=county.pk).first()
    params = {"county": county.title, "year": year, "max": DEMONSTRATION_MAX}
    if DemonstrationCommunity.objects.filter(community=community, year=year).exists():
        raise ValidationError(DEMONSTRATION_DUPLICATE % {"community": community.title, **params})
    if DemonstrationCommunity.objects.filter(county=county, year=year).count() >= DEMONSTRATION_MAX:
        raise ValidationError(DEMONSTRATION_TOO_MANY % params)
    designation = DemonstrationCommunity(
        community=community, county=county, year=year, designated_by=by, note=note.strip()
    )
    designation.full_clean(exclude=["county"])
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError as error:
        raise ValidationError(
            DEMONSTRATION_DUPLICATE % {"community": community.title, **params}
        ) from error
    return designation


@transaction.atomic
def demonstration_withdraw(*, designation: DemonstrationCommunity, by) -> None:
    if not is_city_admin(by):
        raise PermissionDenied(DEMONSTRATION_CITY_ONLY)
    designation._history_user = by
    designation.delete()
