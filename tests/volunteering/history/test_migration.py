"""History rows written before the transition fields existed are moved to them once, by the
migration that added them, from the change reason the state machine used to write as text."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from tests import factories
from volunteering.people.imports import IMPORTED
from volunteering.people.models import Member
from volunteering.reporting.models import Report
from volunteering.reporting.services import (
    SERVICE_FILE_OPENED,
    SERVICE_FILE_RELINKED,
    report_create,
    report_return,
)

migration = importlib.import_module("volunteering.migrations.0010_history_transition_fields")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("return: pending → returned (请补材料)", ("return", "pending", "returned", "请补材料")),
        ("confirm: pending → confirmed", ("confirm", "pending", "confirmed", "")),
        ("submit: new → pending", ("submit", "new", "pending", "")),
        (
            "return: pending → returned (写了（括号）和 (half) 括号)",
            ("return", "pending", "returned", "写了（括号）和 (half) 括号"),
        ),
        # cut at 100 characters before the change reason became a text field
        (
            "return: pending → returned (很长的理由被截",
            ("return", "pending", "returned", "很长的理由被截…"),
        ),
        # reasons the code made up in English: the row's fields say it now, or a Chinese reason
        ("promote: waitlisted → approved (place freed)", ("promote", "waitlisted", "approved", "")),
        ("check_in: approved → attended (check-in code)", ("check_in", "approved", "attended", "")),
        (
            "mark_attended: approved → attended (hours: 2.5)",
            ("mark_attended", "approved", "attended", ""),
        ),
        ("attendance: hours: 3.0", ("", "", "", "")),
        ("profile", ("", "", "", "")),
        ("import: update", ("", "", "", "名单导入")),
        ("reopened by report", ("", "", "", "确认新的报到时重新关联")),
        # anything else was a reason people wrote, kept whole
        ("修改评定", ("", "", "", "修改评定")),
        ("", ("", "", "", "")),
        (None, ("", "", "", "")),
    ],
)
def test_an_old_change_reason_is_read_into_the_fields(text, expected):
    assert migration.read_change_reason(text) == expected


def _as_written_before(rows, change_reason: str) -> None:
    rows.update(
        history_change_reason=change_reason,
        history_transition="",
        history_source_state="",
        history_target_state="",
        history_reason="",
    )


def test_the_rows_written_before_are_moved_to_the_fields(site_tree):
    staff = factories.make_staff(site_tree.community)
    member = factories.MemberFactory()
    report = report_create(member=member, community=site_tree.community, kind="voluntary")
    report_return(report=report, by=staff, reason="请补材料")
    _as_written_before(Report.history.filter(state="pending"), "submit: new → pending")
    _as_written_before(
        Report.history.filter(state="returned"), "return: pending → returned (请补材料)"
    )
    _as_written_before(Member.history.filter(id=member.pk), "import: update")

    migration.fill_transition_fields(apps, None)

    fields = ("history_transition", "history_source_state", "history_target_state")
    rows = Report.history.order_by("history_date", "history_id").values_list(
        *fields, "history_reason"
    )
    assert list(rows) == [
        ("submit", "new", "pending", ""),
        ("return", "pending", "returned", "请补材料"),
    ]
    imported = Member.history.get(id=member.pk)
    assert (imported.history_transition, imported.history_reason) == ("", "名单导入")
    # the old text stays as it was written
    assert imported.history_change_reason == "import: update"


def test_the_migration_gives_old_rows_the_reasons_the_code_gives_now():
    with translation.override("zh-hans"):
        assert migration.SAVE_SYSTEM_REASONS["import: create"] == str(IMPORTED)
        assert migration.SAVE_SYSTEM_REASONS["opened by report"] == str(SERVICE_FILE_OPENED)
        assert migration.SAVE_SYSTEM_REASONS["reopened by report"] == str(SERVICE_FILE_RELINKED)
