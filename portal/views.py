"""Site-wide views: search and QR codes for pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from wagtail.models import Page

from portal.addresses import page_url
from portal.db_router import reads_from_replica
from portal.qr import qr_svg
from portal.specific_rows import specific_page, with_specific_rows

SEARCH_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


@reads_from_replica()
def search(request):
    """Live, public pages of this site matching `q`, best first (title hits weigh most), ten to
    a page. Chinese words are found inside longer text: see portal.search. Each result is shown
    as its own page type (its label and summary) from one query, whatever the types found
    (`portal.specific_rows`)."""
    from wagtail.models import Site

    # Control characters (PostgreSQL refuses NUL) and runs of whitespace become single spaces.
    raw = request.GET.get("q", "")[: MAX_QUERY_LENGTH * 4]
    query = " ".join("".join(c if c.isprintable() else " " for c in raw).split())
    query = query[:MAX_QUERY_LENGTH].strip()
    results = Page.objects.none()
    site = Site.find_for_request(request)
    if query and site:
        pages = with_specific_rows(Page.objects.live().public().in_site(site))
        results = pages.search(query)
    paginator = Paginator(results, SEARCH_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):  # ?page=abc, ?page=0, ?page=999: the first page
        page_obj = paginator.page(1)
    results = [specific_page(page) for page in page_obj.object_list]
    return render(
        request,
        "portal/search.html",
        {"query": query, "page_obj": page_obj, "results": results},
    )


@cache_control(public=True, max_age=3600)
def page_qr_code(request, page_id: int):
    """An SVG QR code of a live, public page's full URL, for bulletin boards and screens."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    url = page_url(page, request) if page is not None else None
    if not url:  # missing, draft, private, or not reachable from any site
        raise Http404
    svg = qr_svg(url, title=page.title, standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml")
