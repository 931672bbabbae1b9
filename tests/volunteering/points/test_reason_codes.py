"""The reasons the system gives points-ledger entries are stored as codes with parameters and
read in the reader's language (the member's points page, the admin), never stored as text in
one language; staff's own words in a correction are kept as written; old rows become codes."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.volunteering.admin.support import url
from tests.volunteering.points.test_points import mark, past_signup
from volunteering.points.models import PointEntry, point_reason_text
from volunteering.points.services import point_correction_create
from volunteering.privacy.services import member_anonymise

migration = importlib.import_module("volunteering.migrations.0016_issue10_edges")


def test_an_award_stores_a_code_and_its_parameters_not_text(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_attended", hours="1.5")
    entry = PointEntry.objects.get()
    assert (entry.reason, entry.reason_code) == ("", "attended")
    assert entry.reason_params == {"title": "清扫楼道", "hours": "1.5"}


@pytest.mark.parametrize(
    ("language", "award", "reversal"),
    [
        ("zh-hans", "参加活动“清扫楼道” 2 小时", "撤销：参加活动“清扫楼道” 2 小时"),
        ("en", "Attended “清扫楼道” for 2 hours", "Reversed: Attended “清扫楼道” for 2 hours"),
    ],
)
def test_the_member_reads_the_reasons_in_their_language(world, client, language, award, reversal):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_attended", hours="2")
    mark(client, signup, "mark_no_show")
    client.force_login(world["member"].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("service:my_points")).content.decode()
    assert award in page and reversal in page


def test_staff_read_the_reason_in_the_admin_in_their_language(world, client):
    signup = past_signup(world)
    client.force_login(world["staff"])
    mark(client, signup, "mark_no_show")
    entry = PointEntry.objects.get()
    profile = UserProfile.get_for_user(world["staff"])
    profile.preferred_language = "en"
    profile.save()
    absent = "Absent from “清扫楼道” after signing up"
    assert absent in client.get(url("pointentry", "index")).content.decode()
    assert absent in client.get(url("pointentry", "inspect", entry.pk)).content.decode()


def test_a_staff_correction_keeps_the_words_as_written(world):
    entry = point_correction_create(
        member=world["member"],
        community=world["community"],
        amount=Decimal(2),
        reason="补录上门服务",
        by=world["staff"],
    )
    assert (entry.reason, entry.reason_code, entry.reason_text) == (
        "补录上门服务",
        "",
        "补录上门服务",
    )


def test_an_unknown_code_or_broken_parameters_never_fail():
    assert point_reason_text("gone", {}, "") == "gone"
    assert point_reason_text("attended", {"title": "x"}, "") == "attended"


def test_the_migration_turns_old_texts_into_codes_and_keeps_staffs_words(world):
    member, community = world["member"], world["community"]
    texts = {
        "参加活动“清扫楼道” 1.5 小时": ("attended", {"title": "清扫楼道", "hours": "1.5"}),
        "撤销：报名活动“清扫楼道”后缺席": (
            "reversed",
            {"code": "no_show", "params": {"title": "清扫楼道"}, "words": ""},
        ),
        "办结居民诉求（困难求助）": ("feedback_resolved", {"kind": "help"}),
        "履行岗位承诺“楼道长”": ("pledge_fulfilled", {"post": "楼道长"}),
    }
    for n, text in enumerate([*texts, "未知的说法"]):
        PointEntry.objects.create(
            member=member,
            community=community,
            amount=1,
            rule_key="no_show",
            reason=text,
            source_id=n,
        )
    manual = PointEntry.objects.create(
        member=member, community=community, amount=1, rule_key="manual", reason="参加活动“x” 1 小时"
    )
    migration.store_point_reason_codes(apps, None)
    stored = {e.pk: e for e in PointEntry.objects.all()}
    for entry in stored.values():
        if entry.pk == manual.pk or entry.reason == "未知的说法":
            assert entry.reason_code == ""
        else:
            assert entry.reason == ""
            assert (entry.reason_code, entry.reason_params) in texts.values()
    assert [PointEntry.objects.get(pk=e.pk).reason_text for e in stored.values()].count(
        "撤销：报名活动“清扫楼道”后缺席"
    ) == 1


def test_the_anonymised_reason_is_a_code(world):
    member = world["member"]
    member_anonymise(member=member, by=world["staff"])
    row = member.history.order_by("-history_id").first()
    assert (row.history_reason, row.history_reason_code) == ("", "member_anonymised")
