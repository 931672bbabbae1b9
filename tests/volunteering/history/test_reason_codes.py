"""Reasons the system gives itself (an import, a service file opened by a confirmed report) are
stored as codes and read in the reader's language, whoever acted and in whatever language; no
code passes English (or any literal text) as a history reason; old rows become codes."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from wagtail.users.models import UserProfile

from tests import factories
from tests.volunteering.admin.support import build_world, url
from volunteering.people.imports import IMPORTED
from volunteering.people.models import Member
from volunteering.people.services import member_create
from volunteering.reporting.models import ServiceFile
from volunteering.reporting.services import SERVICE_FILE_OPENED

ROOT = Path(__file__).resolve().parents[3]
migration = importlib.import_module("volunteering.migrations.0012_walk_hours_reason_codes")


@pytest.fixture
def world(site_tree):
    return build_world(site_tree)


def _imported_by_an_english_speaker(world) -> Member:
    with translation.override("en"):
        return member_create(
            organisation=world.organisation_a,
            username="imported-li",
            real_name="李导入",
            by=world.organisation_admin,
            reason=IMPORTED,
        )


def test_an_import_reason_is_stored_as_a_code_not_in_the_actors_language(world):
    member = _imported_by_an_english_speaker(world)
    row = member.history.get()
    assert (row.history_reason_code, row.history_reason) == ("imported", "")


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "名单导入"), ("en", "Imported from a member list")]
)
def test_the_member_page_shows_the_reason_in_the_readers_language(
    world, client, language, expected
):
    member = _imported_by_an_english_speaker(world)
    profile = UserProfile.get_for_user(world.city)
    profile.preferred_language = language
    profile.save()
    client.force_login(world.city)
    response = client.get(url("member", "inspect", member.pk))
    assert response.status_code == 200
    (created,) = [e for e in response.context["timeline"].entries if e.kind == "created"]
    assert created.reason == expected
    assert expected in response.content.decode()


def test_confirming_a_report_opens_the_service_file_with_a_coded_reason(world, client):
    client.force_login(world.a.staff)
    response = client.post(url("report", "action", world.a.report.pk, "confirm"), {})
    assert response.status_code == 302
    row = ServiceFile.history.get(report=world.a.report)
    assert (row.history_reason_code, row.history_reason) == (SERVICE_FILE_OPENED.code, "")


def test_old_reasons_stored_as_text_become_codes(world):
    member = factories.MemberFactory()
    member.history.update(history_reason="Imported from a member list")
    migration.store_reason_codes(apps, None)
    row = member.history.get()
    assert (row.history_reason_code, row.history_reason) == ("imported", "")


# --- No literal reasons in the code ------------------------------------------------------------

RECORDING_CALLS = {"perform", "start", "record_actor", "note_history", "_perform_and_refill"}


def _literal_reasons(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in RECORDING_CALLS:
            continue
        for keyword in node.keywords:
            value = keyword.value
            literal = isinstance(value, ast.Constant | ast.JoinedStr) or (
                isinstance(value, ast.Call) and getattr(value.func, "id", "") in {"_", "str"}
            )
            if keyword.arg == "reason" and literal:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_history_reason_is_literal_text():
    """A reason the code gives is a `workflows.history.system_reason` (a code); literal text
    would be stored in the language of whoever acted. The demo's reasons are staff's words."""
    sources = [
        path
        for package in ("volunteering", "news", "portal", "workflows")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "demo" not in path.parts
    ]
    assert sources
    found = [hit for path in sources for hit in _literal_reasons(path)]
    assert found == []
