"""What the XLSX and CSV exports of the admin lists hold: the right rows, readable columns, and
a member's phone only for those who may see it."""

import pytest

from tests import factories
from tests.factories import admin_user
from tests.volunteering.admin.support import url, xlsx_rows
from volunteering import scopes
from volunteering.admin.policy import members_with_visible_phone
from volunteering.people.models import Member
from volunteering.reporting.models import Report
from workflows.statemachine import fixture_states


def _export(client, model: str, query: str = "") -> list[tuple]:
    response = client.get(url(model, "index") + "?export=xlsx" + query)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{model}.xlsx"')
    return xlsx_rows(b"".join(response.streaming_content))


def test_report_export_has_chinese_headings_and_only_the_scoped_rows(world, client):
    client.force_login(world.a.staff)
    heading, *rows = _export(client, "report")
    assert heading[:4] == ("姓名", "工作单位", "社区", "报到类型")
    assert len(rows) == 1
    assert rows[0][:7] == ("张三", "麒麟区人民法院", "麒麟社区", "自愿报到", "是", "待确认", None)


def test_export_times_are_local_times(world, client):
    from django.utils import timezone

    client.force_login(world.a.staff)
    heading, row = _export(client, "report")
    created = row[heading.index("报到时间")]
    local = timezone.localtime(world.a.report.created_at).replace(tzinfo=None)
    assert created.replace(microsecond=0) == local.replace(microsecond=0)


def test_export_follows_the_filters(world, client):
    client.force_login(world.city)
    world.b.report.state = Report.State.CONFIRMED  # set up directly: only the export is tested
    Report.objects.filter(pk=world.b.report.pk).update(state=Report.State.CONFIRMED)
    _heading, *rows = _export(client, "report", "&state=pending")
    assert [row[0] for row in rows] == ["张三"]
    _heading, *rows = _export(client, "report", f"&community={world.b.community.pk}")
    assert [row[0] for row in rows] == ["李四"]


def test_signup_export_names_the_activitys_community(world, client):
    client.force_login(world.city)
    heading, *rows = _export(client, "signup")
    community = heading.index("社区")
    assert sorted(row[community] for row in rows) == ["方城社区", "麒麟社区"]


def test_member_export_shows_phones_to_those_who_may_see_them(world, client):
    client.force_login(world.organisation_admin)
    heading, *rows = _export(client, "member")
    phone = heading.index("手机号")
    assert [(row[1], row[phone]) for row in rows] == [("张三", world.a.member.phone)]


def test_staff_see_the_phone_of_members_who_reported_to_them(world, client):
    client.force_login(world.a.staff)
    page = client.get(url("member", "index")).content.decode()
    assert world.a.member.phone in page
    inspect = client.get(url("member", "inspect", world.a.member.pk)).content.decode()
    assert world.a.member.phone in inspect


def test_the_list_rule_for_phones_agrees_with_scopes(world):
    stranger = factories.MemberFactory(real_name="王五")  # reported nowhere, other organisation
    with fixture_states():
        Report.objects.create(
            member=world.b.member,
            community=world.a.community,
            kind=Report.Kind.VOLUNTARY,
            state=Report.State.RETURNED,
        )
    members = list(Member.objects.all())
    users = [world.a.staff, world.b.staff, world.city, world.organisation_admin, stranger.user]
    users.append(admin_user("nobody"))
    for user in users:
        expected = {m.pk for m in members if scopes.can_see_member_phone(user, m)}
        assert members_with_visible_phone(user, [m.pk for m in members]) == expected, user


def test_a_member_form_has_no_phone_for_those_who_may_not_see_it(world, client):
    client.force_login(world.city)
    assert "phone" in client.get(url("member", "edit", world.a.member.pk)).context["form"].fields


@pytest.mark.parametrize("model", ["need", "team", "post", "needclaim", "teammembership"])
def test_every_list_exports_csv(world, client, model):
    client.force_login(world.a.staff)
    response = client.get(url(model, "index") + "?export=csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 2  # the heading and the one row of community A


def test_csv_cells_that_look_like_formulas_are_kept_as_text(world, client):
    Member.objects.filter(pk=world.a.member.pk).update(other_skills='=HYPERLINK("http://x","点")')
    client.force_login(world.a.staff)
    response = client.get(url("member", "index") + "?export=csv")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(" in text
    assert ",=HYPERLINK(" not in text and '"=HYPERLINK(' not in text
