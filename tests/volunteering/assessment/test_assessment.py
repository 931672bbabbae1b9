"""Year-end assessment (考核评定) through the admin: who is assessed, the year's figures on the
form, the lock after submitting, the city's reopening with a reason, the history, and what
organisation admins see (read only, XLSX)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import community_staff, organisation_admin
from tests.volunteering.admin.support import xlsx_rows
from volunteering.assessment.models import Assessment
from volunteering.assessment.selectors import points_available
from volunteering.assessment.services import ASSESSMENT_LOCKED
from volunteering.assessment.workflows import ASSESSMENT_GRADE_REQUIRED
from volunteering.menu.models import PostPledge
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp
from workflows.statemachine import fixture_states

YEAR = timezone.localdate().year


def in_year(month: int, day: int = 10, year: int = YEAR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


def confirmed_report(member, community, *, year: int = YEAR) -> Report:
    report = factories.ReportFactory(member=member, community=community, state="confirmed")
    Report.objects.filter(pk=report.pk).update(created_at=in_year(3, year=year))
    return report


@pytest.fixture
def world(site_tree, city):
    community = site_tree.community
    organisation = factories.OrganisationFactory(name="麒麟区财政局")
    other_organisation = factories.OrganisationFactory(name="麒麟区税务局")
    w = type("World", (), {})()
    w.community, w.other_community = community, site_tree.other_community
    w.organisation, w.other_organisation = organisation, other_organisation
    w.staff = community_staff(community, "qilin-staff")
    w.other_staff = community_staff(site_tree.other_community, "fangcheng-staff")
    w.city = city
    w.org_admin = organisation_admin(organisation, "finance-admin")
    w.alice = factories.MemberFactory(real_name="李明", organisation=organisation)
    w.bob = factories.MemberFactory(real_name="王芳", organisation=other_organisation)
    w.carol = factories.MemberFactory(real_name="赵强", organisation=organisation)
    confirmed_report(w.alice, community)
    confirmed_report(w.bob, community)
    # Carol reported last year only: not assessed this year.
    confirmed_report(w.carol, community, year=YEAR - 1)
    return w


def build_year(w):
    """Alice's year in 麒麟社区: 2 activities attended (3.5 h), 1 no-show, one attended last
    year and one in the other community; 1 pledge fulfilled; 2 feedback closed, 1 still open,
    1 closed last year; points 12.5 here (2 entries) and 100 elsewhere."""
    community, alice = w.community, w.alice
    attended = [
        (community, in_year(4), Decimal("2.0"), "attended"),
        (community, in_year(5), Decimal("1.5"), "attended"),
        (community, in_year(6), Decimal("0"), "no_show"),
        (community, in_year(6, year=YEAR - 1), Decimal("4"), "attended"),
        (w.other_community, in_year(7), Decimal("5"), "attended"),
    ]
    with fixture_states():
        for place, starts, hours, state in attended:
            activity = factories.ActivityPageFactory(parent=place, starts_at=starts)
            SignUp.objects.create(
                activity=activity, member=alice, state=state, hours=hours, queued_at=starts
            )
        post = factories.PostFactory(community=community)
        PostPledge.objects.create(
            post=post,
            member=alice,
            commitment="每周联系楼栋居民",
            starts_on=datetime.date(YEAR, 1, 1),
            ends_on=datetime.date(YEAR, 12, 31),
            state="fulfilled",
            state_changed_at=in_year(8),
        )
    for closed_at, state in [(in_year(5), "closed"), (in_year(9), "closed")]:
        factories.FeedbackFactory(
            community=community,
            state=state,
            outcome="resolved",
            assigned_member=alice,
            closed_at=closed_at,
        )
    factories.FeedbackFactory(community=community, state="assigned", assigned_member=alice)
    factories.FeedbackFactory(
        community=community,
        state="closed",
        outcome="answered",
        assigned_member=alice,
        closed_at=in_year(5, year=YEAR - 1),
    )
    if points_available():
        from volunteering.points.models import PointEntry

        for place, amount in [(community, "10"), (community, "2.5"), (w.other_community, "100")]:
            PointEntry.objects.create(
                member=alice,
                community=place,
                amount=Decimal(amount),
                rule_key="hours_attended",
                reason="测试",
                earned_at=in_year(6),
            )


def refused(response) -> bool:
    """The admin's answer to a permission denied: Wagtail sends the user to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def edit_url(w, member, year=YEAR, community=None):
    community = community or w.community
    return reverse("volunteering_assessment_edit", args=(community.pk, year, member.pk))


def index_url(w, community=None, year=YEAR):
    community = community or w.community
    return f"{reverse('volunteering_assessment_index')}?community={community.pk}&year={year}"


def test_the_community_lists_everyone_who_reported_that_year(world, client):
    client.force_login(world.staff)
    response = client.get(index_url(world))
    assert response.status_code == 200
    names = [row.member.real_name for row in response.context["rows"]]
    assert names == sorted(["李明", "王芳"])


def test_staff_of_another_community_cannot_assess_here(world, client):
    client.force_login(world.other_staff)
    assert client.get(index_url(world)).context["form"].errors  # not a choice for them
    assert refused(client.get(edit_url(world, world.alice)))
    response = client.post(edit_url(world, world.alice), {"grade": "excellent", "submit": "1"})
    assert refused(response)
    assert not Assessment.objects.exists()


def test_a_member_who_did_not_report_that_year_is_not_assessed(world, client):
    client.force_login(world.staff)
    assert client.get(edit_url(world, world.carol)).status_code == 404


def test_the_form_is_prefilled_with_the_members_year_here(world, client):
    build_year(world)
    client.force_login(world.staff)
    response = client.get(edit_url(world, world.alice))
    summary = response.context["summary"]
    assert summary.activities == 2
    assert summary.hours == Decimal("3.5")
    assert summary.pledges_fulfilled == 1
    assert summary.feedback_handled == 2
    html = response.content.decode()
    assert 'data-figure="activities">2<' in html
    assert 'data-figure="hours">3.5<' in html
    if points_available():
        assert summary.points == Decimal("12.5")
        assert 'data-figure="points">12.5<' in html
    else:
        assert summary.points is None
        assert "暂不可用" in html


def test_the_list_shows_the_same_figures_in_bounded_queries(
    world, client, django_assert_max_num_queries
):
    build_year(world)
    client.force_login(world.staff)
    client.get(index_url(world))  # warm the session and the admin's caches
    with django_assert_max_num_queries(30):
        response = client.get(index_url(world))
    first = {row.member.real_name: row for row in response.context["rows"]}
    assert first["李明"].summary.activities == 2
    assert first["王芳"].summary.activities == 0
    # Many more members cost no more queries.
    for _n in range(15):
        member = factories.MemberFactory(organisation=world.organisation)
        confirmed_report(member, world.community)
    with django_assert_max_num_queries(30):
        response = client.get(index_url(world))
    assert len(response.context["rows"]) == 17


def test_submitting_needs_a_grade(world, client):
    client.force_login(world.staff)
    response = client.post(edit_url(world, world.alice), {"comment": "积极", "submit": "1"})
    assert response.status_code == 409
    assert str(ASSESSMENT_GRADE_REQUIRED) in response.content.decode()
    assert not Assessment.objects.exists()  # nothing half-done is kept
    client.post(edit_url(world, world.alice), {"comment": "积极", "save": "1"})
    response = client.post(edit_url(world, world.alice), {"comment": "积极", "submit": "1"})
    assert response.status_code == 409
    assert Assessment.objects.get().state == "draft"


def test_a_draft_can_be_changed_then_submitted_and_is_locked(world, client):
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    client.post(url, {"grade": "competent", "comment": "按时参加活动", "save": "1"})
    assessment = Assessment.objects.get()
    assert (assessment.state, assessment.grade) == ("draft", "competent")
    client.post(url, {"grade": "excellent", "comment": "表现突出", "submit": "1"})
    assessment.refresh_from_db()
    assert (assessment.state, assessment.grade) == ("submitted", "excellent")

    # Locked: the form is read only, and a forged POST is refused on the server.
    page = client.get(url)
    assert page.context["locked"] is True
    assert page.context["form"].fields["grade"].disabled
    response = client.post(url, {"grade": "incompetent", "comment": "改", "save": "1"})
    assert response.status_code == 409
    assert str(ASSESSMENT_LOCKED) in response.content.decode()
    assessment.refresh_from_db()
    assert (assessment.grade, assessment.comment) == ("excellent", "表现突出")


def test_staff_cannot_reopen_only_the_city_with_a_reason(world, client):
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    client.post(url, {"grade": "excellent", "submit": "1"})
    assessment = Assessment.objects.get()
    reopen = reverse("volunteering_assessment_reopen", args=(assessment.pk,))
    assert client.get(url).context["may_reopen"] is False
    response = client.post(reopen, {"reason": "想改"}, follow=True)
    assert "没有权限" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == "submitted"

    client.force_login(world.city)
    assert client.get(url).context["may_reopen"] is True
    client.post(reopen, {"reason": "  "})
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
    client.post(reopen, {"reason": "评定等次与活动记录不符，请复核"})
    assessment.refresh_from_db()
    assert assessment.state == "reopened"

    # Reopened: the community changes it and submits again.
    client.force_login(world.staff)
    client.post(url, {"grade": "competent", "comment": "复核后调整", "submit": "1"})
    assessment.refresh_from_db()
    assert (assessment.state, assessment.grade) == ("submitted", "competent")


def test_every_change_leaves_history_with_who_and_why(world, client):
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    client.post(url, {"grade": "competent", "save": "1"})
    client.post(url, {"grade": "excellent", "submit": "1"})
    client.force_login(world.city)
    assessment = Assessment.objects.get()
    client.post(
        reverse("volunteering_assessment_reopen", args=(assessment.pk,)), {"reason": "请复核"}
    )
    records = list(assessment.history.order_by("history_date", "history_id"))
    assert [(r.state, r.grade) for r in records] == [
        ("draft", "competent"),
        ("draft", "excellent"),
        ("submitted", "excellent"),
        ("reopened", "excellent"),
    ]
    assert [r.history_user for r in records] == [world.staff] * 3 + [world.city]
    reopened = records[-1]
    assert (reopened.history_transition, reopened.history_reason) == ("reopen", "请复核")
    assert (reopened.history_source_state, reopened.history_target_state) == (
        "submitted",
        "reopened",
    )
    page = client.get(url).content.decode()
    assert "请复核" in page


def test_one_assessment_per_member_community_and_year(world, client):
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    client.post(url, {"grade": "competent", "save": "1"})
    client.post(url, {"grade": "excellent", "save": "1"})
    assert Assessment.objects.count() == 1


def _submit(client, w, member, grade, comment=""):
    client.force_login(w.staff)
    client.post(edit_url(w, member), {"grade": grade, "comment": comment, "submit": "1"})


def test_organisation_admins_see_only_their_members_submitted_results(world, client):
    _submit(client, world, world.alice, "excellent", "表现突出")
    _submit(client, world, world.bob, "competent")
    # A draft is not a result yet.
    dave = factories.MemberFactory(real_name="陈静", organisation=world.organisation)
    confirmed_report(dave, world.community)
    client.post(edit_url(world, dave), {"grade": "basic", "save": "1"})

    client = Client()  # a fresh browser: no messages left from the staff's session
    client.force_login(world.org_admin)
    url = reverse("volunteering_assessment_results")
    response = client.get(f"{url}?year={YEAR}")
    assert [r.member.real_name for r in response.context["results"]] == ["李明"]
    html = response.content.decode()
    assert "王芳" not in html and "陈静" not in html
    # Read only: no form to change a grade, and the edit view is closed to them.
    assert 'name="grade"' not in html
    assert refused(client.get(edit_url(world, world.alice)))
    # Asking for another organisation is refused by the form's choices.
    other = client.get(f"{url}?year={YEAR}&organisation={world.other_organisation.pk}")
    assert other.context["form"].errors


def test_members_and_staff_without_an_organisation_see_no_results(world, client):
    client.force_login(world.staff)
    assert refused(client.get(reverse("volunteering_assessment_results")))


def test_the_xlsx_export_opens_and_holds_the_right_rows(world, client):
    _submit(client, world, world.alice, "excellent", "表现突出")
    _submit(client, world, world.bob, "competent")
    client.force_login(world.org_admin)
    response = client.get(f"{reverse('volunteering_assessment_results')}?year={YEAR}&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == ("年度", "单位", "姓名", "社区", "评定等次", "评语")
    assert rows[1:] == [(YEAR, "麒麟区财政局", "李明", "麒麟社区", "优秀", "表现突出")]

    client.force_login(world.city)
    response = client.get(f"{reverse('volunteering_assessment_results')}?year={YEAR}&export=xlsx")
    names = sorted(row[2] for row in xlsx_rows(response.content)[1:])
    assert names == ["李明", "王芳"]


def _menu_urls(user, rf) -> set[str]:
    from wagtail.admin.menu import admin_menu

    request = rf.get("/admin/")
    request.user = user
    urls = set()
    for item in admin_menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        if submenu is not None:
            urls |= {sub.url for sub in submenu.menu_items_for_request(request)}
    return urls


def test_the_menu_offers_each_role_its_own_pages(world, rf):
    index, results, rates, demonstrations = (
        reverse(name)
        for name in (
            "volunteering_assessment_index",
            "volunteering_assessment_results",
            "volunteering_report_rates",
            "volunteering_demonstrations",
        )
    )
    staff = _menu_urls(world.staff, rf)
    assert index in staff and not {results, rates, demonstrations} & staff
    org_admin = _menu_urls(world.org_admin, rf)
    assert {results, rates} <= org_admin and not {index, demonstrations} & org_admin
    assert {index, results, rates, demonstrations} <= _menu_urls(world.city, rf)


def _messages(response) -> list[str]:
    return [str(m).strip() for m in response.context["messages"]]


def test_saving_and_submitting_say_different_things(world, client):
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    saved = client.post(url, {"grade": "competent", "save": "1"}, follow=True)
    submitted = client.post(url, {"grade": "competent", "submit": "1"}, follow=True)
    assert _messages(saved) == ["已保存李明的考核评定草稿，提交前仍可修改。"]
    assert _messages(submitted) == ["已提交李明的考核评定，评定已锁定。"]


def test_the_history_reads_as_people_do_names_and_translated_steps(world, client):
    world.staff.first_name, world.city.first_name = "王小红", "市委组织部张科长"
    world.staff.save()
    world.city.save()
    client.force_login(world.staff)
    url = edit_url(world, world.alice)
    client.post(url, {"grade": "competent", "save": "1"})
    client.post(url, {"grade": "excellent", "save": "1"})
    client.post(url, {"grade": "excellent", "submit": "1"})
    client.force_login(world.city)
    assessment = Assessment.objects.get()
    client.post(
        reverse("volunteering_assessment_reopen", args=(assessment.pk,)), {"reason": "请复核"}
    )
    timeline = client.get(url).context["timeline"]
    steps = [
        (e.actor, e.action_label, e.source_label, e.target_label, e.reason)
        for e in timeline.entries
    ]
    assert steps == [
        ("市委组织部张科长", "退回修改", "已提交", "退回修改", "请复核"),
        ("王小红", "提交评定", "草稿", "已提交", ""),
        ("王小红", "修改", "", "", ""),
        ("王小红", "保存草稿", "", "草稿", ""),
    ]
    page = client.get(url).content.decode()
    for internal in ("submit:", "draft →", "→ submitted", "qilin-staff", "修改评定"):
        assert internal not in page
    assert "草稿 → 已提交" in page and "王小红" in page
    assert "评定等次：称职 → 优秀" in page


@pytest.mark.parametrize("year", [0, 1900, 99999999])
def test_a_year_out_of_the_programmes_range_is_not_found(world, client, year):
    # Once a 500: the year went into date arithmetic before anything checked it.
    client.force_login(world.staff)
    url = edit_url(world, world.alice, year=year)
    assert client.get(url).status_code == 404
    assert client.post(url, {"grade": "excellent", "submit": "1"}).status_code == 404
    assert not Assessment.objects.exists()
