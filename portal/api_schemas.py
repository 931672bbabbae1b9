"""What every router of the JSON API shares: references, pagination, path ids, the error
answers, and the bounds of ids and dates."""

from datetime import date

from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination
from pydantic import BaseModel
from wagtail.models import Page

from portal.api_auth import ErrorOut

MAX_ID = 2**63 - 1  # the largest primary key; larger numbers are refused as invalid (422)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
PAGE_SIZE, MAX_PAGE_SIZE, MAX_PAGE = 20, 100, 100_000
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Ref(Schema):
    id: int
    title: str


class SkillOut(Schema):
    id: int
    name: str


class ReasonIn(BaseModel):
    reason: str = Field("", max_length=500)


class Pages(PageNumberPagination):
    """Page-number pagination with bounded numbers, and a hook that shapes the page's rows
    with a fixed number of queries (`prepare(items, request) -> list`)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, *, prepare, **kwargs):
        self.prepare = prepare
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = self.prepare(list(result["items"]), request)
        return result


ObjectId = Path(..., ge=1, le=MAX_ID)


def _parents(pages) -> set[str]:
    """The paths of the parents of `pages` (tree paths: no query)."""
    return {p[: -Page.steplen] for p in (page.path for page in pages)}


def _ref(page) -> dict | None:
    return {"id": page.pk, "title": page.title} if page else None
