"""What the bench measures, found in a database built by `manage.py load_demo` (at any scale:
the demo's own county, community, news item and accounts stay, so each page is the same page at
both scales and the ratio city/demo compares like with like). A page whose object is missing is
left out, with its name in `missing`."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from bench.measure import Probe
from news.models import NewsIndexPage, NewsPage
from portal.api_auth import api_token_issue
from portal.models import ApiToken
from volunteering.activities.models import ActivityPage
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.letters.selectors import public_notices
from volunteering.menu.models import Need, Post
from volunteering.people.models import Member, Organisation
from volunteering.teams.models import Team

# The demo's accounts (portal.demo): 麒麟社区's staff and the superuser standing for the city.
STAFF = "staff"
CITY = "admin"
SIGNUP_MEMBER_PREFIX = "bench-signup-"

ADMIN_LISTS = [
    ("admin sign-ups", "/admin/volunteering/signup/"),
    ("admin reports", "/admin/volunteering/report/"),
    ("admin members", "/admin/volunteering/member/"),
    ("admin residents' items", "/admin/volunteering/feedback/"),
    ("admin needs", "/admin/volunteering/need/"),
    ("admin point entries", "/admin/volunteering/pointentry/"),
]


def _first(queryset):
    return queryset.order_by("pk").first()


def signup_tokens(count: int) -> list[str]:
    """`count` new members (with accounts and API tokens) to sign up, one per request."""
    organisation = _first(Organisation.objects.all())
    stamp = timezone.now().strftime("%H%M%S%f")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{SIGNUP_MEMBER_PREFIX}{stamp}-{n}") for n in range(count)
    )
    Member.objects.bulk_create(
        Member(user=u, real_name=f"基准报名{n}", organisation=organisation)
        for n, u in enumerate(users)
    )
    users = get_user_model().objects.filter(pk__in=[u.pk for u in users])
    tokens = [api_token_issue(user=u)[1] for u in users]
    # Tokens used lately, as a client's are (last_used is written at most every few minutes):
    # dated ahead, so that the counted request, which comes after a run of many minutes, is
    # not the one that writes it again (the run of 8 December counted 11 queries for 10).
    ApiToken.objects.filter(user__in=users).update(last_used=timezone.now() + timedelta(days=1))
    return tokens


def build_probes(rounds: int, *, only: set[str] | None = None) -> tuple[list[Probe], list[str]]:
    missing: list[str] = []
    probes: list[Probe] = []

    def add(name, url, **kwargs):
        if only is not None and name not in only:
            return
        if url is None:
            missing.append(name)
            return
        probes.append(Probe(name=name, url=url, **kwargs))

    def url_of(obj, suffix=""):
        return None if obj is None else obj.url + suffix

    community = CommunityPage.objects.live().filter(slug="qilin-community").first() or _first(
        CommunityPage.objects.live()
    )
    county = community.get_parent().specific if community else _first(CountyPage.objects.live())
    channel = NewsIndexPage.objects.live().filter(depth=3).first()
    news_item = NewsPage.objects.live().filter(slug="demo-legal-aid").first() or _first(
        NewsPage.objects.live()
    )
    local_channel = NewsIndexPage.objects.live().child_of(community).first() if community else None
    activities = ActivityPage.objects.live().public()
    # An activity one can sign up for now (the sign-up probe needs one; the page is the same).
    now = timezone.now()
    open_now = (
        activities.filter(starts_at__gt=now, team__isnull=True, needs_approval=False)
        .exclude(signup_closes_at__lte=now)
        .exclude(signup_opens_at__gt=now)
        .order_by("starts_at", "pk")
    )
    activity = (open_now.descendant_of(community).first() if community else None) or (
        open_now.first()
    )
    need = _first(Need.objects.filter(community=community)) or _first(Need.objects.all())
    post = _first(Post.objects.all())
    team = _first(Team.objects.all())
    notice = _first(public_notices())
    cid = community.pk if community else None

    # Public pages.
    add("home", "/", kind="page")
    add("communities index", "/communities/", kind="page")
    add("county", url_of(county), kind="page")
    add("community (with service menu)", url_of(community), kind="page")
    add("news channel", url_of(channel), kind="page")
    add("news channel page 2", url_of(channel, "?page=2"), kind="page", expect=(200, 404))
    add("community channel", url_of(local_channel), kind="page")
    add("news item", url_of(news_item), kind="page")
    add("activity listing", "/activities/", kind="page")
    add("activity listing, community", cid and f"/activities/?community={cid}", kind="page")
    add("activity calendar", "/activities/calendar/", kind="page")
    add("activity page", url_of(activity), kind="page")
    add("service need", need and f"/service/needs/{need.pk}/", kind="page")
    add("service post", post and f"/service/posts/{post.pk}/", kind="page")
    add("service team", team and f"/service/teams/{team.pk}/", kind="page")
    add("search 法律援助", "/search/?q=法律援助", kind="page")
    add("statistics, city", "/statistics/", kind="page")
    add("statistics, county", county and f"/statistics/?county={county.pk}", kind="page")
    add("statistics, community", cid and f"/statistics/?community={cid}", kind="page")
    add("display screen", "/screen/", kind="page")
    add("rankings", "/service/rankings/", kind="page")
    add("community ranking", cid and f"/service/communities/{cid}/ranking/", kind="page")
    add("notice", notice and f"/notices/{notice.pk}/", kind="page")
    add("feedback choose", "/feedback/", kind="page")
    add("feedback form", cid and f"/feedback/communities/{cid}/", kind="page")
    add("feedback status", "/feedback/status/", kind="page")
    add("sitemap", "/sitemap.xml", kind="page")
    add("sitemap page 1", "/sitemap-pages.xml", kind="page")
    add("news feed (RSS)", "/feeds/news/rss/", kind="page")
    add("community calendar (iCal)", cid and f"/calendar/community/{cid}.ics", kind="page")

    # Staff admin lists, as 麒麟社区's staff and as the city.
    for user, who in ((STAFF, "staff"), (CITY, "city")):
        for name, url in ADMIN_LISTS:
            add(f"{name} ({who})", url, kind="admin", user=user)
        add(
            f"admin activities in tree ({who})",
            community and f"/admin/pages/{community.pk}/",
            kind="admin",
            user=user,
        )

    # The API.
    add("API activities", "/api/v1/activities", kind="api")
    add("API activity", activity and f"/api/v1/activities/{activity.pk}", kind="api")
    add("API stats", "/api/v1/stats", kind="api")
    add("API communities", "/api/v1/communities", kind="api")
    if activity is not None and (only is None or "API sign-up (POST)" in only):
        tokens = signup_tokens(rounds + 2)
        url = f"/api/v1/activities/{activity.pk}/signups"

        def signup_request(n, tokens=tokens, url=url):
            return {"path": url, "HTTP_AUTHORIZATION": f"Bearer {tokens[n]}"}

        add(
            "API sign-up (POST)",
            url,
            kind="api",
            method="post",
            expect=(201,),
            request=signup_request,
        )
    return probes, missing


def scale_counts() -> dict[str, int]:
    """How big the database is, for the report."""
    from volunteering.signups.models import SignUp
    from volunteering.voice.models import Feedback

    return {
        "counties": CountyPage.objects.count(),
        "communities": CommunityPage.objects.count(),
        "organisations": Organisation.objects.count(),
        "members": Member.objects.count(),
        "activities": ActivityPage.objects.count(),
        "signups": SignUp.objects.count(),
        "residents_items": Feedback.objects.count(),
        "news": NewsPage.objects.count(),
    }
