"""The service menu on the public site: the community page's menu (and its query count), claiming
from it, and the need page."""

from django.db import connection
from django.urls import reverse

from tests import factories
from tests.volunteering.menu.support import pledge_kwargs
from volunteering import errors
from volunteering.menu import services as menu
from volunteering.menu.models import NeedClaim
from volunteering.teams.services import team_join_request

# --- The community page's service menu ---------------------------------------------------


def test_the_community_page_lists_open_needs_posts_and_teams(client, community, post, team):
    factories.NeedFactory(community=community, title="帮助居民调解邻里纠纷", places=2)
    html = client.get(community.url).content.decode()
    for text in ("服务菜单", "帮助居民调解邻里纠纷", "还差 2 人", "楼栋联络员", "法律援助服务队"):
        assert text in html, text
    assert "登录后认领" in html


def test_the_community_pages_menu_queries_do_not_grow_with_its_rows(client, community, skills):
    from django.test.utils import CaptureQueriesContext

    member = factories.MemberFactory()
    client.force_login(member.user)

    def add_rows():
        need = factories.NeedFactory(community=community, skills=list(skills.values()))
        menu.claim_create(need=need, member=member)
        post = factories.PostFactory(community=community)
        menu.pledge_create(post=post, member=member, **pledge_kwargs())
        team = factories.TeamFactory(community=community, leader=factories.MemberFactory())
        team_join_request(team=team, member=member)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(community.url).status_code == 200
        return len(ctx.captured_queries)

    add_rows()
    count()  # warm the per-process caches
    before = count()
    for _ in range(3):
        add_rows()
    count()  # new rows invalidate the cached figures; their fixed cost is test_figures' concern
    assert count() == before


def test_a_member_claims_a_need_from_the_community_page(client, community):
    need = factories.NeedFactory(community=community, title="帮助居民调解邻里纠纷")
    member = factories.MemberFactory()
    client.force_login(member.user)
    assert "我来认领" in client.get(community.url).content.decode()
    response = client.post(
        reverse("service:claim_create", args=[need.pk]), {"next": community.url}, follow=True
    )
    assert response.redirect_chain[-1][0] == community.url
    html = response.content.decode()
    assert "请等待社区工作人员确认" in html
    assert "待确认" in html
    assert NeedClaim.objects.filter(need=need, member=member).count() == 1
    again = client.post(reverse("service:claim_create", args=[need.pk]), follow=True)
    assert str(errors.NEED_ALREADY_CLAIMED) in again.content.decode()
    assert NeedClaim.objects.filter(need=need, member=member).count() == 1


def test_claiming_signed_out_leads_to_the_login_page(client, community):
    need = factories.NeedFactory(community=community)
    response = client.post(reverse("service:claim_create", args=[need.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert not NeedClaim.objects.exists()


def test_phone_numbers_in_the_service_menu_are_tap_to_call(client, community):
    need = factories.NeedFactory(
        community=community, title="陪伴空巢老人", description="详情请联系王主任 0874-3112345。"
    )
    link = '<a href="tel:08743112345">0874-3112345</a>'
    assert link in client.get(community.url).content.decode()
    assert link in client.get(reverse("service:need_detail", args=[need.pk])).content.decode()


def test_the_need_page_shows_places_and_a_closed_need_cannot_be_claimed(client, community):
    need = factories.NeedFactory(community=community, title="陪伴空巢老人", places=3)
    html = client.get(reverse("service:need_detail", args=[need.pk])).content.decode()
    assert "陪伴空巢老人" in html and "3 人（已确认 0 人）" in html
    staff = factories.make_staff(community)
    menu.need_close(need=need, by=staff)
    member = factories.MemberFactory()
    client.force_login(member.user)
    html = client.get(reverse("service:need_detail", args=[need.pk])).content.decode()
    assert "已经结束认领" in html
    response = client.post(reverse("service:claim_create", args=[need.pk]), follow=True)
    assert str(errors.NEED_NOT_OPEN) in response.content.decode()
    assert not NeedClaim.objects.exists()
