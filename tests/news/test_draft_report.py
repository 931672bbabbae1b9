"""Drafting a report (起草工作报告) from the admin: the editor sees the opening paragraph the live
figures make, one button drafts a news page in the city channel with that paragraph first, not
published, opened in the editor; the page's workflow is the two-step editorial one."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from news.models import NewsPage
from tests import factories
from tests.workflows.editorial_helpers import access_admin, editor_of
from volunteering.people.models import Organisation
from volunteering.reporting.models import Report

URL = "/admin/report-draft/"

# Two communities; agencies A1, A2 and a window unit W1; members: m1 (A1) confirmed in both
# communities, m2 (A2) and m3 (W1) confirmed, m4 (A2) pending; one dispute resolved, two
# good deeds, nothing else. By hand:
EXPECTED = (
    "截至目前，全市共有2个社区、2个机关单位、1个窗口和服务行业单位、3名在职党员参与到在职党员"
    "到社区报到为群众服务工作中，累计开展为群众服务活动0次，听取群众意见建议0条，化解矛盾纠纷1件，"
    "帮助社区和群众解决实际困难0个，为社区和群众办好事实事2件。"
)


@pytest.fixture
def data(site_tree):
    a1, a2 = factories.OrganisationFactory.create_batch(2, kind=Organisation.Kind.AGENCY)
    w1 = factories.OrganisationFactory(kind=Organisation.Kind.WINDOW)
    m1 = factories.MemberFactory(organisation=a1)
    confirmed = Report.State.CONFIRMED
    factories.ReportFactory(member=m1, community=site_tree.community, state=confirmed)
    factories.ReportFactory(
        member=m1, community=site_tree.other_community, state=confirmed, is_primary=False
    )
    for organisation, state in [(a2, confirmed), (w1, confirmed), (a2, Report.State.PENDING)]:
        factories.ReportFactory(
            member=factories.MemberFactory(organisation=organisation),
            community=site_tree.community,
            state=state,
        )
    factories.FeedbackFactory(
        community=site_tree.community, kind="dispute", state="closed", outcome="resolved"
    )
    factories.GoodDeedFactory.create_batch(2, community=site_tree.other_community)
    return site_tree


@pytest.mark.django_db
def test_the_editor_sees_the_paragraph_before_drafting(client, data):
    client.force_login(editor_of(data.news, "editor"))
    response = client.get(URL)
    assert response.status_code == 200
    assert EXPECTED in response.content.decode()
    assert not NewsPage.objects.exists()


@pytest.mark.django_db
def test_drafting_creates_an_unpublished_news_page_opening_with_the_figures(client, data):
    editor = editor_of(data.news, "editor")
    client.force_login(editor)
    response = client.post(URL)
    page = NewsPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().pk == data.news.pk
    assert page.owner == editor
    first = page.body.raw_data[0]
    assert first["type"] == "paragraph"
    assert first["value"] == f"<p>{EXPECTED}</p>"
    assert page.title.startswith("全市在职党员到社区报到为群众服务工作情况")
    assert page.slug.startswith("quan-shi-zai-zhi-dang-yuan") and len(page.slug) <= 60
    assert page.get_latest_revision().user == editor
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=editor).exists()
    # It goes through approval like any city news: the two-step editorial workflow
    # of the city's own pages (编辑部审核 → 发布审批).
    workflow = page.get_workflow()
    assert workflow is not None and [t.name for t in workflow.tasks] == ["编辑部审核", "发布审批"]
    # The editor opens it (the paragraph is in the rich-text field's JSON, escaped).
    edit = client.get(response["Location"])
    assert edit.status_code == 200
    assert page.title in edit.content.decode()


@pytest.mark.django_db
def test_the_draft_states_the_figures_as_they_are_when_drafted(client, data):
    client.force_login(editor_of(data.news, "editor"))
    factories.GoodDeedFactory(community=data.community)
    client.post(URL)
    assert "为社区和群众办好事实事3件。" in NewsPage.objects.get().body.raw_data[0]["value"]


@pytest.mark.django_db
def test_staff_without_rights_in_the_city_channel_can_neither_see_nor_draft(client, data):
    staff = access_admin(factories.make_staff(data.community, username="staff"))
    client.force_login(staff)
    # Wagtail's admin answers a PermissionDenied by sending the user back to the dashboard.
    for response in (client.get(URL), client.post(URL)):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not NewsPage.objects.exists()
    assert "report-draft" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_menu_offers_it_to_editors(client, data):
    client.force_login(editor_of(data.news, "editor"))
    assert URL in client.get("/admin/").content.decode()
