"""Residents' voice on the public site, with no account: the form on every community page, the
receipt with its code, the progress page, and what stops spam and floods (a per-client limit and
a honeypot) — through the pages as a resident uses them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from volunteering.voice.forms import CODE_INVALID, PHONE_INVALID, TEXT_TOO_SHORT
from volunteering.voice.models import Feedback
from volunteering.voice.services import LOOKUPS_PER_WINDOW, SUBMISSIONS_PER_WINDOW
from volunteering.voice.views import STATE_NOTES
from volunteering.voice.workflows import FEEDBACK_WORKFLOW

TEXT = "小区3栋门口的路灯坏了两个星期，晚上出行不便，请帮忙联系维修。"


def submit_url(community) -> str:
    return reverse("service:feedback_create", args=(community.pk,))


STATUS_URL = "/feedback/status/"
RECEIPT_URL = "/feedback/receipt/"


def post_feedback(client, community, address="203.0.113.7", **fields):
    data = {"kind": "help", "text": TEXT, "name": "王阿姨", "phone": "13912345678", **fields}
    return client.post(submit_url(community), data, REMOTE_ADDR=address)


def test_every_community_page_has_the_form_for_anyone(site_tree, client):
    html = client.get(site_tree.other_community.url).content.decode()
    assert 'id="feedback"' in html
    assert f'action="{submit_url(site_tree.other_community)}"' in html
    for label in ("意见建议", "困难求助", "矛盾纠纷", "不会公开"):
        assert label in html
    # The honeypot is on the page, hidden from people and screen readers.
    assert 'class="feedback-trap" aria-hidden="true"' in html
    assert 'name="website"' in html


def test_a_community_page_says_first_where_its_form_and_the_status_page_are(site_tree, client):
    html = client.get(site_tree.community.url).content.decode()
    jump = html.index('<a href="#feedback">我要提意见/求助</a>')
    assert jump < html.index("</h1>") + 300  # right below the title, before any section
    assert jump < html.index("<section")
    assert f'href="{STATUS_URL}"' in html[jump : jump + 300]


def test_the_home_page_leads_to_the_form_through_a_chooser_and_to_the_status_page(
    site_tree, client
):
    html = client.get("/").content.decode()
    chooser_url = reverse("service:feedback_choose")
    assert f'href="{chooser_url}"' in html and "我要提意见/求助" in html
    assert f'href="{STATUS_URL}"' in html and "查询办理进度" in html
    assert html.index(f'href="{chooser_url}"') < html.index('id="figures-heading"')

    chooser = client.get(chooser_url)
    assert chooser.status_code == 200
    chooser_html = chooser.content.decode()
    # First the counties, each with its number of communities …
    county_link = f'href="?county={site_tree.county.pk}"'
    assert county_link in chooser_html and "麒麟区" in chooser_html and "2 个社区" in chooser_html
    assert f'href="{submit_url(site_tree.community)}"' not in chooser_html
    # … then the county's communities, each opening its form.
    county_html = client.get(chooser_url, {"county": site_tree.county.pk}).content.decode()
    for community in (site_tree.community, site_tree.other_community):
        assert f'href="{submit_url(community)}"' in county_html
        assert community.title in county_html
    assert f'href="{chooser_url}"' in county_html  # back to the counties
    form_page = client.get(submit_url(site_tree.other_community))
    assert form_page.status_code == 200
    assert f'action="{submit_url(site_tree.other_community)}"' in form_page.content.decode()


def test_the_chooser_never_lists_the_whole_city_and_costs_fixed_queries(site_tree, client):
    url = reverse("service:feedback_choose")
    county_url = f"{url}?county={site_tree.county.pk}"

    def visit(address):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(address).content.decode()
        return len(captured), html.count('class="chip"'), html.count("county-counts__name")

    client.get(url)  # warm the per-process caches
    before = visit(url), visit(county_url)
    for _county in range(3):
        county = factories.CountyPageFactory(parent=site_tree.communities)
        factories.CommunityPageFactory.create_batch(4, parent=county)
    factories.CommunityPageFactory.create_batch(3, parent=site_tree.county)
    visit(url), visit(county_url)  # the first pages after a publish read the tree again
    after = visit(url), visit(county_url)
    assert before[0][1:] == (0, 1) and after[0][1:] == (0, 4)
    assert before[1][1:] == (2, 0) and after[1][1:] == (5, 0)
    assert after[0][0] == before[0][0] and after[1][0] == before[1][0]
    assert max(before[0][0], before[1][0]) <= 15


def test_the_chooser_refuses_a_county_that_is_not_one(site_tree, client):
    url = reverse("service:feedback_choose")
    for county in ("abc", "0", str(site_tree.community.pk), "1e3"):
        assert client.get(url, {"county": county}).status_code == 404, county


def test_the_form_costs_the_community_page_no_query_however_many_items(site_tree, client):
    community = site_tree.community

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(community.url).status_code == 200
        return len(captured)

    queries()  # warm the caches (the site's root paths)
    before = queries()
    factories.FeedbackFactory.create_batch(25, community=community)
    factories.GoodDeedFactory.create_batch(10, community=community)
    queries()  # new rows invalidate the cached figures; their fixed cost is test_figures' concern
    assert queries() == before


def test_a_resident_sends_a_request_and_gets_a_receipt_code(site_tree, client):
    response = post_feedback(client, site_tree.community)

    assert response.status_code == 302
    assert response["Location"] == RECEIPT_URL
    feedback = Feedback.objects.get()
    assert (feedback.community, feedback.kind, feedback.channel, feedback.state) == (
        site_tree.community.page_ptr.specific,
        "help",
        "online",
        "submitted",
    )
    assert (feedback.name, feedback.phone, feedback.text) == ("王阿姨", "139 1234 5678", TEXT)
    assert len(feedback.code) == 10
    record = feedback.history.get()
    assert record.history_user is None
    assert (record.history_transition, record.history_source_state) == ("submit", "new")
    assert (record.history_target_state, record.history_reason) == ("submitted", "")

    receipt = client.get(RECEIPT_URL)
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert feedback.readable_code in html
    assert "您的困难求助已送达麒麟社区" in html
    assert "13912345678" not in html and "139 1234 5678" not in html


def test_the_status_page_shows_progress_but_never_the_name_or_phone(site_tree, client):
    post_feedback(client, site_tree.community, kind="dispute")
    feedback = Feedback.objects.get()
    staff = factories.make_staff(site_tree.community)
    FEEDBACK_WORKFLOW.perform(feedback, "accept", by=staff)
    FEEDBACK_WORKFLOW.perform(feedback, "resolve", by=staff, reason="已组织双方调解，达成一致。")

    typed = feedback.readable_code.lower().replace("-", " - ")  # as a resident might type it
    response = client.post(STATUS_URL, {"code": typed}, REMOTE_ADDR="198.51.100.1")

    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("矛盾纠纷", "已办结", "已解决（化解）", "已组织双方调解，达成一致。", "麒麟社区"):
        assert shown in html
    assert "王阿姨" not in html
    assert "13912345678" not in html and "139 1234 5678" not in html


@pytest.mark.parametrize(
    "steps, state",
    [
        ([], "submitted"),
        ([("accept", "")], "accepted"),
        ([("accept", ""), ("resolve", "已联系物业修好路灯。")], "closed"),
        ([("reject", "不属于社区受理范围，请向物业反映。")], "rejected"),
    ],
)
def test_the_status_page_words_each_state_its_own_way(site_tree, client, steps, state):
    post_feedback(client, site_tree.community)
    feedback = Feedback.objects.get()
    staff = factories.make_staff(site_tree.community)
    for name, reason in steps:
        FEEDBACK_WORKFLOW.perform(feedback, name, by=staff, reason=reason)
    assert feedback.state == state

    html = client.post(STATUS_URL, {"code": feedback.readable_code}).content.decode()
    assert str(STATE_NOTES[state]) in html
    others = [str(note) for other, note in STATE_NOTES.items() if other != state]
    assert not any(note in html for note in others)
    assert "正在办理" not in html or state == "accepted"


def test_the_status_page_answers_an_unknown_or_malformed_code(site_tree, client):
    unknown = client.post(STATUS_URL, {"code": "ABCDE-FGHJK"})
    assert "没有找到这个回执码对应的留言" in unknown.content.decode()
    malformed = client.post(STATUS_URL, {"code": "123"})
    assert str(CODE_INVALID) in malformed.content.decode()
    assert client.get(STATUS_URL).status_code == 200


def test_a_rejected_item_shows_why(site_tree, client):
    feedback = factories.FeedbackFactory(
        community=site_tree.community, state="rejected", outcome_note="与此前的留言重复。"
    )
    html = client.post(STATUS_URL, {"code": feedback.code}).content.decode()
    assert "不予受理" in html
    assert "与此前的留言重复。" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": ""}, "请选择类型。"),
        ({"kind": "complaint"}, "选择一个有效的选项"),
        ({"text": ""}, "请填写具体内容。"),
        ({"text": "路灯坏"}, str(TEXT_TOO_SHORT)),
        ({"text": "长" * 2001}, "2000"),
        ({"phone": "call me"}, str(PHONE_INVALID)),
        ({"phone": "12345"}, str(PHONE_INVALID)),
        ({"phone": "139 1234 567"}, str(PHONE_INVALID)),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(site_tree, client, fields, message):
    response = post_feedback(client, site_tree.community, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_flood_from_one_client_is_stopped_with_429(site_tree, client):
    for _n in range(SUBMISSIONS_PER_WINDOW):
        assert post_feedback(client, site_tree.community).status_code == 302

    refused = post_feedback(client, site_tree.community)

    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert Feedback.objects.count() == SUBMISSIONS_PER_WINDOW
    # Another client is not affected.
    assert post_feedback(client, site_tree.community, address="203.0.113.8").status_code == 302


def test_the_limit_follows_the_address_the_proxy_saw(site_tree, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address
    for _n in range(SUBMISSIONS_PER_WINDOW):
        response = client.post(
            submit_url(site_tree.community),
            {"kind": "suggestion", "text": TEXT},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.50",
        )
        assert response.status_code == 302
    response = client.post(
        submit_url(site_tree.community),
        {"kind": "suggestion", "text": TEXT},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 192.0.2.50",  # a forged first entry changes nothing
    )
    assert response.status_code == 429


def test_forged_forwarded_addresses_do_not_escape_the_limit(site_tree, client):
    # Issue 12: with no proxy in front, a new forged X-Forwarded-For on each post was believed.
    for n in range(SUBMISSIONS_PER_WINDOW + 1):
        response = client.post(
            submit_url(site_tree.community),
            {"kind": "suggestion", "text": TEXT},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    assert response.status_code == 429
    assert Feedback.objects.count() == SUBMISSIONS_PER_WINDOW


def test_a_filled_honeypot_looks_like_success_but_saves_nothing(site_tree, client):
    response = post_feedback(client, site_tree.community, website="http://spam.example")

    assert response.status_code == 200
    assert "提交成功" in response.content.decode()
    assert not Feedback.objects.exists()


def test_guessing_codes_is_limited_per_client(site_tree, client):
    for _n in range(LOOKUPS_PER_WINDOW):
        client.post(STATUS_URL, {"code": "ABCDEFGHJK"}, REMOTE_ADDR="192.0.2.9")
    refused = client.post(STATUS_URL, {"code": "ABCDEFGHJK"}, REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429
    assert "查询过于频繁" in refused.content.decode()


def test_a_community_not_published_takes_no_messages(site_tree, client):
    site_tree.other_community.unpublish()
    assert post_feedback(client, site_tree.other_community).status_code == 404
    assert not Feedback.objects.exists()


def test_the_form_page_of_its_own_renders(site_tree, client):
    response = client.get(submit_url(site_tree.community))
    assert response.status_code == 200
    assert "向麒麟社区反映情况" in response.content.decode()


def test_the_receipt_without_a_submission_sends_to_the_status_page(site_tree, client):
    assert client.get(RECEIPT_URL)["Location"] == STATUS_URL


def test_public_pages_cost_a_bounded_number_of_queries(
    site_tree, client, django_assert_max_num_queries
):
    post_feedback(client, site_tree.community)
    code = Feedback.objects.get().code
    factories.FeedbackFactory.create_batch(20, community=site_tree.community)
    with django_assert_max_num_queries(12):
        client.get(RECEIPT_URL)
    with django_assert_max_num_queries(12):
        client.post(STATUS_URL, {"code": code})
    # The writes (item, history, audit log, reference index, session): a fixed number.
    with django_assert_max_num_queries(24):
        post_feedback(client, site_tree.community)


def _status_steps(client, feedback) -> list[tuple[str, bool]]:
    """The steps of the status page: (label, marked done)."""
    import re

    html = client.post(STATUS_URL, {"code": feedback.readable_code}).content.decode()
    steps = html[html.index('<ol class="feedback-steps">') :]
    steps = steps[: steps.index("</ol>")]
    return [
        ("is-done" in classes, label)[::-1]
        for classes, label in re.findall(r'<li class="([^"]*)"[^>]*>([^<]+)</li>', steps)
    ]


def test_a_request_closed_straight_from_accepted_skips_the_handling_step(site_tree, client):
    post_feedback(client, site_tree.community)
    feedback = Feedback.objects.get()
    staff = factories.make_staff(site_tree.community)
    FEEDBACK_WORKFLOW.perform(feedback, "accept", by=staff)
    FEEDBACK_WORKFLOW.perform(feedback, "answer", by=staff, reason="已电话答复。")
    assert _status_steps(client, feedback) == [
        ("已提交", True),
        ("已受理", True),
        ("已办结", True),
    ]


def test_a_request_handed_to_a_member_shows_every_step_done(site_tree, client):
    from volunteering.reporting.models import Report
    from volunteering.voice.services import feedback_assign

    post_feedback(client, site_tree.community)
    feedback = Feedback.objects.get()
    staff = factories.make_staff(site_tree.community)
    member = factories.MemberFactory()
    factories.ReportFactory(
        member=member, community=site_tree.community, state=Report.State.CONFIRMED
    )
    FEEDBACK_WORKFLOW.perform(feedback, "accept", by=staff)
    feedback = feedback_assign(feedback=feedback, by=staff, member=member)
    assert _status_steps(client, feedback) == [
        ("已提交", True),
        ("已受理", True),
        ("办理中", True),
        ("已办结", False),
    ]
    FEEDBACK_WORKFLOW.perform(feedback, "resolve", by=staff, reason="已修好。")
    assert [done for _label, done in _status_steps(client, feedback)] == [True] * 4


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "139 1234 5678"),
        ("139-1234-5678", "139 1234 5678"),
        ("+86 139 1234 5678", "139 1234 5678"),
        ("0874-3123456", "0874 312 3456"),
        ("", ""),
    ],
)
def test_a_residents_phone_is_stored_in_the_members_one_form(site_tree, client, typed, stored):
    response = post_feedback(client, site_tree.community, phone=typed)
    assert response.status_code == 302
    assert Feedback.objects.get().phone == stored


def test_the_migration_normalises_stored_residents_phones_and_keeps_invalid_ones(site_tree):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("volunteering.migrations.0016_issue10_edges")
    typed = factories.FeedbackFactory(community=site_tree.community, phone="13908741001")
    odd = factories.FeedbackFactory(community=site_tree.community, phone="0874-3123456-801")
    migration.residents_phones_canonical(apps, None)
    typed.refresh_from_db()
    odd.refresh_from_db()
    assert (typed.phone, odd.phone) == ("139 0874 1001", "0874-3123456-801")
