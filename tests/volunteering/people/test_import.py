"""The bulk import of an organisation's members: every bad row listed with its reason, nothing
imported until the whole file is valid, and importing the same file again changes nothing."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.volunteering.admin.support import build_world, url, xlsx_rows
from volunteering import errors
from volunteering.errors import ServiceError
from volunteering.people.import_files import COLUMNS, member_import_template, member_rows_read
from volunteering.people.imports import Status, members_import_apply, members_import_preview
from volunteering.people.models import Member

HEADING = ["用户名", "姓名", "手机号", "邮箱", "居住地社区", "技能特长", "其他特长"]
GOOD_ROWS = [
    ["zhangwei", "张伟", "13800000001", "zw@example.com", "麒麟社区", "法律咨询、医疗保健", ""],
    ["maria", "María José García-Fernández", "+86 138 0000 0002", "", "", "", "西班牙语翻译"],
    ["dilnur", "迪丽努尔·阿不都", "", "", "麒麟区/方城社区", "", ""],
    ["wang", "王", "0874-3120000", "", "", "", ""],
]


def xlsx_file(rows, heading=HEADING) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_file(rows, heading=HEADING, encoding="utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(heading)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def read(content: bytes, name: str):
    return member_rows_read(file=io.BytesIO(content), filename=name)


@pytest.fixture
def skills(db):
    return [factories.SkillFactory(name="法律咨询"), factories.SkillFactory(name="医疗保健")]


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


@pytest.fixture
def organisation(site_tree, skills):
    return factories.OrganisationFactory(name="麒麟区司法局")


# --- The service ----------------------------------------------------------------------------


def test_a_valid_file_previews_every_row_as_new(organisation):
    preview = members_import_preview(
        organisation=organisation, rows=read(xlsx_file(GOOD_ROWS), "名单.xlsx")
    )
    assert preview.is_valid
    assert [row.status for row in preview.rows] == [Status.NEW] * 4
    assert [row.line for row in preview.rows] == [2, 3, 4, 5]
    assert not Member.objects.exists()


def test_importing_creates_accounts_without_passwords_and_members_with_history(
    organisation, site_tree
):
    importer = factories.UserFactory(username="importer")
    rows = read(xlsx_file(GOOD_ROWS), "名单.xlsx")
    result = members_import_apply(organisation=organisation, rows=rows, by=importer)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    zhang = Member.objects.get(user__username="zhangwei")
    assert zhang.real_name == "张伟"
    assert zhang.organisation == organisation
    assert zhang.residence_community == site_tree.community
    assert {s.name for s in zhang.skills.all()} == {"法律咨询", "医疗保健"}
    assert not zhang.user.has_usable_password()
    assert zhang.user.email == "zw@example.com"
    assert zhang.history.get().history_user == importer
    assert (
        Member.objects.get(user__username="dilnur").residence_community == site_tree.other_community
    )
    assert Member.objects.get(user__username="maria").real_name == "María José García-Fernández"


def test_importing_the_same_file_again_changes_nothing(organisation):
    by = factories.UserFactory()
    rows = read(xlsx_file(GOOD_ROWS), "名单.xlsx")
    members_import_apply(organisation=organisation, rows=rows, by=by)
    snapshot = list(Member.objects.order_by("pk").values())
    history = Member.history.count()

    preview = members_import_preview(organisation=organisation, rows=rows)
    assert {row.status for row in preview.rows} == {Status.UNCHANGED}
    result = members_import_apply(organisation=organisation, rows=rows, by=by)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert list(Member.objects.order_by("pk").values()) == snapshot
    assert Member.history.count() == history
    assert get_user_model().objects.filter(username="zhangwei").count() == 1


def test_a_changed_row_updates_its_member_only(organisation):
    by = factories.UserFactory()
    members_import_apply(
        organisation=organisation, rows=read(xlsx_file(GOOD_ROWS), "a.xlsx"), by=by
    )
    changed = [list(r) for r in GOOD_ROWS]
    changed[0][2] = "13900000009"
    preview = members_import_preview(
        organisation=organisation, rows=read(xlsx_file(changed), "b.xlsx")
    )
    assert [row.status for row in preview.rows] == [Status.UPDATE] + [Status.UNCHANGED] * 3
    assert preview.rows[0].changes == ["手机号"]
    members_import_apply(organisation=organisation, rows=read(xlsx_file(changed), "b.xlsx"), by=by)
    assert Member.objects.get(user__username="zhangwei").phone == "139 0000 0009"


BAD_ROWS = [
    (["", "缺用户名", "", "", "", "", ""], errors.IMPORT_USERNAME_MISSING),
    (["noname", "", "", "", "", "", ""], errors.IMPORT_NAME_MISSING),
    (["long", "长" * 101, "", "", "", "", ""], errors.IMPORT_NAME_TOO_LONG % {"max": 100}),
    (["badphone", "李明", "call me", "", "", "", ""], errors.IMPORT_PHONE_INVALID),
    (["bademail", "李明", "", "not-an-email", "", "", ""], errors.IMPORT_EMAIL_INVALID),
    (["nowhere", "李明", "", "", "火星社区", "", ""], errors.IMPORT_UNKNOWN_COMMUNITY),
    (["unknown", "李明", "", "", "", "法律咨询、飞行", ""], errors.IMPORT_UNKNOWN_SKILL),
    (["bad name!", "李明", "", "", "", "", ""], errors.IMPORT_USERNAME_INVALID),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_each_bad_row_is_listed_with_its_reason(organisation, row, message):
    rows = read(xlsx_file([GOOD_ROWS[0], row]), "名单.xlsx")
    preview = members_import_preview(organisation=organisation, rows=rows)
    assert not preview.is_valid
    assert preview.rows[0].status == Status.NEW
    bad = preview.rows[1]
    assert (bad.line, bad.status) == (3, Status.ERROR)
    # Messages with a placeholder are compared by their fixed first words.
    expected = str(message).split("“")[0].split("%")[0]
    assert any(error.startswith(expected) for error in bad.errors), bad.errors


def test_a_duplicate_username_in_the_file_is_a_bad_row(organisation):
    rows = read(xlsx_file([GOOD_ROWS[0], ["zhangwei", "张伟二", "", "", "", "", ""]]), "a.xlsx")
    preview = members_import_preview(organisation=organisation, rows=rows)
    assert preview.rows[1].errors == [str(errors.IMPORT_USERNAME_DUPLICATE % {"line": 2})]


def test_a_username_of_another_organisations_member_is_refused(organisation):
    factories.MemberFactory(user__username="taken")
    rows = read(xlsx_file([["taken", "张伟", "", "", "", "", ""]]), "a.xlsx")
    preview = members_import_preview(organisation=organisation, rows=rows)
    assert preview.rows[0].errors == [str(errors.IMPORT_USERNAME_TAKEN)]


def test_one_bad_row_imports_nothing(organisation):
    rows = read(xlsx_file(GOOD_ROWS + [["", "没有用户名", "", "", "", "", ""]]), "a.xlsx")
    with pytest.raises(ServiceError) as excinfo:
        members_import_apply(organisation=organisation, rows=rows, by=factories.UserFactory())
    assert excinfo.value.message == errors.IMPORT_NOT_VALID
    assert not Member.objects.exists()
    assert not get_user_model().objects.filter(username="zhangwei").exists()


def test_csv_files_in_utf8_and_in_gbk_are_read(organisation):
    for encoding in ("utf-8-sig", "gb18030"):
        rows = read(csv_file(GOOD_ROWS[:1], encoding=encoding), "名单.csv")
        assert rows[0]["real_name"] == "张伟"


def test_numbers_typed_into_excel_keep_their_digits(organisation):
    rows = read(xlsx_file([["1001", "张伟", 13800000001, "", "", "", ""]]), "a.xlsx")
    assert rows[0]["phone"] == "13800000001"
    assert members_import_preview(organisation=organisation, rows=rows).is_valid


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"garbage", "a.xlsx", errors.IMPORT_FILE_UNREADABLE),
        (b"name\n", "a.txt", errors.IMPORT_FILE_UNREADABLE),
        ("姓名,手机号\n张伟,1\n".encode(), "a.csv", None),
        ("用户名,姓名\n".encode(), "a.csv", errors.IMPORT_NO_ROWS),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(ServiceError) as excinfo:
        member_rows_read(file=io.BytesIO(content), filename=name)
    if message is None:
        assert "用户名" in str(excinfo.value.message)
    else:
        assert excinfo.value.message == message


def test_the_template_has_the_columns_and_an_explanation():
    rows = xlsx_rows(member_import_template())
    assert rows == [tuple(str(c.label) for c in COLUMNS)]


def test_the_template_is_read_back_by_the_importer():
    with pytest.raises(ServiceError) as excinfo:
        read(member_import_template(), "template.xlsx")
    assert excinfo.value.message == errors.IMPORT_NO_ROWS


# --- The admin views ------------------------------------------------------------------------


def _upload(client, organisation, content: bytes, name: str = "名单.xlsx"):
    return client.post(
        url("member", "import"),
        {"organisation": organisation.pk, "file": SimpleUploadedFile(name, content)},
    )


def test_an_organisation_admin_previews_then_confirms_an_import(world, client, skills):
    client.force_login(world.organisation_admin)
    assert client.get(url("member", "import")).status_code == 200
    response = _upload(client, world.organisation_a, xlsx_file(GOOD_ROWS))
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认导入" in page and "María José García-Fernández" in page
    assert not Member.objects.filter(user__username="zhangwei").exists()

    token = response.context["token"]
    confirmed = client.post(url("member", "import_confirm"), {"token": token})
    assert confirmed.status_code == 302
    assert Member.objects.filter(organisation=world.organisation_a).count() == 5
    again = client.post(url("member", "import_confirm"), {"token": token})
    assert again.status_code == 302
    assert Member.objects.filter(organisation=world.organisation_a).count() == 5


def test_the_preview_shows_each_rows_phone_as_stored_and_email(world, client, skills):
    client.force_login(world.organisation_admin)
    response = _upload(client, world.organisation_a, xlsx_file(GOOD_ROWS[:2]))
    page = response.content.decode()
    assert "<th>手机号</th>" in page and "<th>邮箱</th>" in page
    assert "<td>138 0000 0001</td>" in page and "<td>zw@example.com</td>" in page
    assert "<td>138 0000 0002</td>" in page


def _confirm(client, response) -> str:
    """Confirms the previewed import; the texts of the messages on the page it leads to."""
    done = client.post(
        url("member", "import_confirm"), {"token": response.context["token"]}, follow=True
    )
    return " ".join(str(message) for message in done.context["messages"])


def test_after_importing_new_members_the_admin_is_led_to_invite_them(world, client, skills):
    client.force_login(world.organisation_admin)
    message = _confirm(client, _upload(client, world.organisation_a, xlsx_file(GOOD_ROWS[:1])))
    assert "导入完成：新增 1 人" in message
    assert "新党员设置密码后才能登录：请给他们发送激活邀请。" in message
    invite = url("member", "invite_all") + f"?organisation={world.organisation_a.pk}"
    assert f'href="{invite}"' in message and "邀请未激活的党员" in message

    # Importing the same file again creates nobody: no invitation to suggest.
    again = _confirm(client, _upload(client, world.organisation_a, xlsx_file(GOOD_ROWS[:1])))
    assert "导入完成：新增 0 人" in again and "邀请" not in again


def test_a_file_with_bad_rows_shows_them_and_cannot_be_confirmed(world, client, skills):
    client.force_login(world.organisation_admin)
    response = _upload(
        client, world.organisation_a, xlsx_file(GOOD_ROWS + [["x", "", "", "", "", "", ""]])
    )
    page = response.content.decode()
    assert str(errors.IMPORT_NAME_MISSING) in page
    assert 'data-import-row="6" data-status="error"' in page
    assert "确认导入" not in page
    confirmed = client.post(url("member", "import_confirm"), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    assert not Member.objects.filter(user__username="zhangwei").exists()


def test_an_organisation_admin_cannot_import_into_another_organisation(world, client, skills):
    client.force_login(world.organisation_admin)
    response = _upload(client, world.organisation_b, xlsx_file(GOOD_ROWS))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Member.objects.filter(user__username="zhangwei").exists()


def test_community_staff_cannot_import(world, client):
    client.force_login(world.a.staff)
    assert client.get(url("member", "import")).status_code == 302


def test_the_template_downloads(world, client):
    client.force_login(world.organisation_admin)
    response = client.get(url("member", "import_template"))
    assert response.status_code == 200
    assert xlsx_rows(response.content)[0][0] == "用户名"


def test_every_template_heading_is_recognised_in_both_languages():
    from django.utils import translation

    from volunteering.people import import_files as imports

    for language in ("zh-hans", "en"):
        with translation.override(language):
            for column in imports.COLUMNS:
                headings = {alias.lower() for alias in column.aliases}
                assert str(column.label).lower() in headings, (language, column.key)
