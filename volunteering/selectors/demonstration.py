"""Reading the demonstration communities (示范点): per county for a year, with the warning the
admin shows when a county has fewer than three or more than five."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteering.models import CommunityPage, CountyPage, DemonstrationCommunity
from volunteering.services.demonstration import DEMONSTRATION_MAX, DEMONSTRATION_MIN

TOO_FEW = _("%(county)s%(year)s年只有%(count)s个示范点，应为3至5个。")
TOO_MANY = _("%(county)s%(year)s年有%(count)s个示范点，超过了5个。")


@dataclass
class CountyDesignations:
    county: CountyPage
    year: int
    designations: list[DemonstrationCommunity]

    @property
    def count(self) -> int:
        return len(self.designations)

    @property
    def warning(self) -> str:
        params = {"county": self.county.title, "year": self.year, "count": self.count}
        if self.count < DEMONSTRATION_MIN:
            return TOO_FEW % params
        if self.count > DEMONSTRATION_MAX:
            return TOO_MANY % params
        return ""


def designations_by_county(*, year: int) -> list[CountyDesignations]:
    """Every county (designated or not) with its demonstration communities for `year`: two
    queries."""
    by_county: dict[int, list] = {}
    rows = DemonstrationCommunity.objects.filter(year=year).select_related(
        "community", "designated_by"
    )
    for row in rows.order_by("community__title"):
        by_county.setdefault(row.county_id, []).append(row)
    return [
        CountyDesignations(county, year, by_county.get(county.pk, []))
        for county in CountyPage.objects.order_by("path")
    ]


def is_demonstration(community: CommunityPage, *, year: int | None = None) -> bool:
    """Whether `community` is a demonstration community this year (one query)."""
    year = year or timezone.localdate().year
    return DemonstrationCommunity.objects.filter(community=community, year=year).exists()
