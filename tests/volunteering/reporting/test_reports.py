"""Reporting to a community (报到): the rules of `report_create` and the staff's decisions,
and the same through the community page's report form and the member's "my service" page."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from volunteering import errors
from volunteering.reporting.models import Report, ServiceFile
from volunteering.reporting.services import (
    report_confirm,
    report_create,
    report_return,
    report_withdraw,
)


def refused(**kwargs) -> str:
    with pytest.raises(errors.ServiceError) as excinfo:
        report_create(**kwargs)
    return str(excinfo.value.message)


# --- The rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [Report.Kind.NEARBY_WORKPLACE, Report.Kind.RESIDENCE, Report.Kind.VOLUNTARY]
)
def test_a_member_reports_with_any_kind_but_linked(community, member, kind):
    report = report_create(member=member, community=community, kind=kind, note=" 周末有空 ")
    assert (report.kind, report.state, report.note) == (kind, Report.State.PENDING, "周末有空")


def test_linked_kind_only_to_the_organisations_linked_community(site_tree, member):
    member.organisation.linked_community = site_tree.other_community
    member.organisation.save()
    message = refused(member=member, community=site_tree.community, kind=Report.Kind.LINKED)
    assert message == str(errors.REPORT_KIND_NOT_LINKED)
    report = report_create(
        member=member, community=site_tree.other_community, kind=Report.Kind.LINKED
    )
    assert report.kind == Report.Kind.LINKED


def test_the_same_report_twice_is_refused_with_a_clear_message(community, member):
    report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    message = refused(member=member, community=community, kind=Report.Kind.RESIDENCE)
    assert message == str(errors.REPORT_DUPLICATE)
    assert Report.objects.filter(member=member).count() == 1


def test_the_first_community_is_primary_and_a_second_primary_is_refused(site_tree, member):
    first = report_create(member=member, community=site_tree.community, kind=Report.Kind.VOLUNTARY)
    assert first.is_primary
    message = refused(
        member=member,
        community=site_tree.other_community,
        kind=Report.Kind.VOLUNTARY,
        is_primary=True,
    )
    assert message == str(errors.REPORT_PRIMARY_EXISTS)
    second = report_create(
        member=member, community=site_tree.other_community, kind=Report.Kind.VOLUNTARY
    )
    assert not second.is_primary


def test_confirming_opens_a_service_file_and_tells_the_member(
    community, member, staff, django_capture_on_commit_callbacks
):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    with django_capture_on_commit_callbacks(execute=True):
        report_confirm(report=report, by=staff)
    assert Report.objects.get(pk=report.pk).state == Report.State.CONFIRMED
    service_file = ServiceFile.objects.get(member=member, community=community)
    assert service_file.report_id == report.pk
    assert len(mail.outbox) == 1


def test_returning_needs_a_reason_and_only_the_communitys_staff_decide(
    community, member, staff, other_staff
):
    report = report_create(member=member, community=community, kind="voluntary")
    with pytest.raises(PermissionDenied):
        report_confirm(report=report, by=other_staff)
    with pytest.raises(ValidationError):
        report_return(report=report, by=staff, reason=" ")
    report_return(report=report, by=staff, reason="请携带单位介绍信到窗口确认")
    assert Report.objects.get(pk=report.pk).state == Report.State.RETURNED
    assert not ServiceFile.objects.exists()


def test_a_member_withdraws_their_report_and_may_report_again(community, member):
    report = report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    with pytest.raises(PermissionDenied):
        report_withdraw(report=report, by=factories.UserFactory())
    report_withdraw(report=report, by=member.user)
    assert Report.objects.get(pk=report.pk).state == Report.State.WITHDRAWN
    again = report_create(member=member, community=community, kind=Report.Kind.RESIDENCE)
    assert again.pk != report.pk and again.is_primary


# --- Through the community page and "my service" -----------------------------------------


def test_the_community_page_asks_visitors_to_sign_in_to_report(client, community):
    html = client.get(community.url).content.decode()
    assert "在线报到" in html
    assert "登录后报到" in html
    assert reverse("service:report_create", args=[community.pk]) not in html


def test_a_signed_in_user_without_a_member_record_is_told_why(client, community):
    client.force_login(factories.UserFactory())
    html = client.get(community.url).content.decode()
    assert str(errors.MEMBER_RECORD_MISSING) in html
    response = client.get(reverse("service:report_create", args=[community.pk]))
    assert str(errors.MEMBER_RECORD_MISSING) in response.content.decode()


def test_the_linked_kind_is_offered_only_in_the_linked_community(client, site_tree, member):
    member.organisation.linked_community = site_tree.community
    member.organisation.save()
    client.force_login(member.user)
    linked = client.get(site_tree.community.url).content.decode()
    other = client.get(site_tree.other_community.url).content.decode()
    assert 'value="linked"' in linked
    assert 'value="linked"' not in other


def test_a_member_reports_through_the_community_page_form(client, community, member):
    client.force_login(member.user)
    html = client.get(community.url).content.decode()
    url = reverse("service:report_create", args=[community.pk])
    assert f'action="{url}"' in html
    response = client.post(url, {"kind": "residence", "note": "晚上有空"}, follow=True)
    assert response.redirect_chain[-1][0] == community.url + "#service-messages"
    html = response.content.decode()
    assert "报到申请已提交" in html
    assert "待确认" in html
    assert f'action="{url}"' not in html  # a live report: no second form
    report = Report.objects.get(member=member)
    assert (report.kind, report.note, report.is_primary) == ("residence", "晚上有空", True)


def test_reporting_twice_through_the_form_shows_the_duplicate_message(client, community, member):
    report_create(member=member, community=community, kind=Report.Kind.VOLUNTARY)
    client.force_login(member.user)
    response = client.post(
        reverse("service:report_create", args=[community.pk]), {"kind": "voluntary"}
    )
    assert response.status_code == 200
    assert str(errors.REPORT_DUPLICATE) in response.content.decode()
    assert Report.objects.filter(member=member).count() == 1


def test_a_bad_kind_in_the_form_changes_nothing(client, community, member):
    client.force_login(member.user)
    url = reverse("service:report_create", args=[community.pk])
    response = client.post(url, {"kind": "linked"})  # not this organisation's community
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_the_member_sees_the_status_and_the_return_reason(client, site_tree, member, staff):
    returned = report_create(member=member, community=site_tree.community, kind="voluntary")
    report_return(report=returned, by=staff, reason="请携带单位介绍信到窗口确认")
    report_create(member=member, community=site_tree.other_community, kind="voluntary")
    client.force_login(member.user)
    html = client.get(reverse("service:my_service")).content.decode()
    assert "已退回" in html
    assert "退回理由：请携带单位介绍信到窗口确认" in html
    assert "待确认" in html
    community_html = client.get(site_tree.community.url).content.decode()
    assert "退回理由：请携带单位介绍信到窗口确认" in community_html
    assert "重新报到" in community_html


def test_a_long_return_reason_is_shown_whole(client, community, member, staff):
    reason = "请补充材料" * 30 + "并到窗口确认。"
    report = report_create(member=member, community=community, kind="voluntary")
    report_return(report=report, by=staff, reason=reason)
    client.force_login(member.user)
    html = client.get(reverse("service:my_service")).content.decode()
    assert f"退回理由：{reason}" in html


def test_a_member_withdraws_from_my_service(client, community, member):
    report = report_create(member=member, community=community, kind="voluntary")
    client.force_login(member.user)
    response = client.post(reverse("service:report_withdraw", args=[report.pk]), follow=True)
    assert "已撤回报到" in response.content.decode()
    assert Report.objects.get(pk=report.pk).state == Report.State.WITHDRAWN


def test_a_member_cannot_withdraw_someone_elses_report(client, community, member):
    report = report_create(member=member, community=community, kind="voluntary")
    client.force_login(factories.MemberFactory().user)
    response = client.post(reverse("service:report_withdraw", args=[report.pk]))
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).state == Report.State.PENDING


def test_withdrawing_by_get_is_not_allowed(client, community, member):
    report = report_create(member=member, community=community, kind="voluntary")
    client.force_login(member.user)
    response = client.get(reverse("service:report_withdraw", args=[report.pk]))
    assert response.status_code == 405
    assert Report.objects.get(pk=report.pk).state == Report.State.PENDING
