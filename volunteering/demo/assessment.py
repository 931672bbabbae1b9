"""Demo two-way management (双向管理): this year's demonstration communities (麒麟社区 and
方城社区, one in each of their counties: fewer than the three to five a county needs, so the
admin's warnings show) and the year-end assessment of the members who reported to 麒麟社区
this year (the first submitted, the rest left as drafts).
Safe to run again: it adds only what is missing."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from volunteering.assessment import services as assessment_services
from volunteering.assessment.models import Assessment, DemonstrationCommunity
from volunteering.assessment.selectors import reported_members
from volunteering.assessment.services import demonstration_designate
from volunteering.communities.models import CommunityPage

DEMONSTRATIONS = ("qilin-community", "fangcheng")


def load_assessment_demo(*, communities: dict[str, CommunityPage]) -> int:
    """Returns how many rows it added."""
    city = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if city is None:
        return 0
    year = timezone.localdate().year
    added = 0
    for slug in DEMONSTRATIONS:
        community = communities.get(slug)
        exists = DemonstrationCommunity.objects.filter(community=community, year=year).exists()
        if community is not None and not exists:
            demonstration_designate(community=community, year=year, by=city, note="演示数据")
            added += 1
    community = communities.get("qilin-community")
    if community is None:
        return added
    for n, member in enumerate(reported_members(community=community, year=year)):
        if Assessment.objects.filter(member=member, community=community, year=year).exists():
            continue
        service = (
            assessment_services.assessment_submit if n == 0 else assessment_services.assessment_save
        )
        service(
            member=member,
            community=community,
            year=year,
            grade=Assessment.Grade.EXCELLENT if n == 0 else "",
            comment="积极参加社区服务活动，认真履行领岗承诺。" if n == 0 else "",
            by=city,
        )
        added += 1
    return added
