"""Site-wide views: search and QR codes for pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from wagtail.models import Page

from portal.qr import qr_svg

SEARCH_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    paginator = Paginator(results, SEARCH_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    return render(
        request,
        "portal/search.html",
        {"query": query, "page_obj": page_obj, "results": page_obj.object_list},
    )


@cache_control(public=True, max_age=3600)
def page_qr_code(request, page_id: int):
    """An SVG QR code of a live, public page's full URL, for bulletin boards and screens."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    url = page.get_full_url(request) if page is not None else None
    if not url:  # missing, draft, private, or not reachable from any site
        raise Http404
    svg = qr_svg(url, title=page.title, standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml")
