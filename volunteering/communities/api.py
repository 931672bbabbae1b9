"""`GET /api/v1/communities`: live communities with their county and report window (报到窗口), a
django-ninja router assembled by `volunteering/api.py`; no token needed."""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Page

from portal.addresses import page_url
from portal.api_schemas import MAX_ID, MAX_PAGE_SIZE, PAGE_SIZE, Pages, Ref, _parents, _ref
from volunteering.communities.models import CountyPage
from volunteering.communities.selectors import communities_for_listing

router = Router(tags=["志愿服务"])
COMMUNITY_NOT_FOUND = _("没有这个社区。")


class CommunityOut(Schema):
    id: int
    title: str
    url: str
    county: Ref | None
    street_or_town: str
    address: str
    contact_phone: str
    window_place: str
    window_hours: str


def _counties_by_path(communities) -> dict[str, CountyPage]:
    return {c.path: c for c in CountyPage.objects.filter(path__in=_parents(communities))}


def _community_data(community, county, request) -> dict:
    fields = ("street_or_town", "address", "contact_phone", "window_place", "window_hours")
    return {
        "id": community.pk,
        "title": community.title,
        "url": page_url(community, request),
        "county": _ref(county),
        **{name: getattr(community, name) for name in fields},
    }


class CommunityQuery(Schema):
    county: int | None = Field(None, ge=1, le=MAX_ID, description="县（市、区）id：只列该县的社区")


def _community_rows(communities, request) -> list[dict]:
    """The rows of a page of communities: one query for their counties."""
    counties = _counties_by_path(communities)
    return [_community_data(c, counties.get(c.path[: -Page.steplen]), request) for c in communities]


@router.get(
    "/communities",
    auth=None,
    response=list[CommunityOut],
    summary="社区列表",
    description="已发布的社区，含所属县（市、区）和报到窗口的位置、开放时间；按县和社区的顺序，"
    f"分页（page、page_size，默认每页 {PAGE_SIZE} 个，最多 {MAX_PAGE_SIZE} 个），"
    "可按县（county）筛选。回答为 {items, count}：count 是符合条件的社区总数。",
)
@paginate(Pages, prepare=_community_rows)
def community_list(request, query: Query[CommunityQuery]):
    """Live public communities with their county and service window (报到窗口), a page at a
    time (a city has hundreds); `county` keeps one county's."""
    communities = communities_for_listing()
    if query.county is not None:
        county = CountyPage.objects.filter(pk=query.county).only("path", "depth").first()
        if county is None:
            return communities.none()
        communities = communities.child_of(county)
    return communities
