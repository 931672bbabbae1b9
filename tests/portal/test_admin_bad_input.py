"""The 500s the staff side's corpus test (`test_admin_fuzz.py`) found, each fixed at its cause
and pinned here on its own: a forged id in a chooser, a post without the blocks or the rich
text the editor's script writes, a 1 MB search, a revert with a required field left empty, and
the history of a log entry (a log has no edit view to link to), a `next` that is no path
on a team decision or a letter's unscheduling (`redirect` read it as a view name)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests import factories
from volunteering.letters.models import Letter
from workflows.models import ReviewScope

FORGED_IDS = ["abc", "1e400", str(2**70), "-99999999999999999999", "\u200b"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory, name",
    [
        (factories.PasswordResetEmailFactory, "volunteering_passwordresetemail"),
        (factories.OneTimeCodeFactory, "volunteering_onetimecode"),
        (factories.LoginFailureFactory, "volunteering_loginfailure"),
    ],
)
def test_a_log_entrys_history_opens_without_linking_to_an_edit_view(admin_client, factory, name):
    entry = factory()
    response = admin_client.get(reverse(f"{name}:history", args=[entry.pk]))
    assert response.status_code == 200
    assert f"/{entry.pk}/edit/" not in response.content.decode()


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_a_forged_id_in_the_citys_community_chooser_filter_lists_as_if_unchosen(
    site_tree, admin_client, forged
):
    factories.ReportFactory(community=site_tree.community.specific, note="在列表里")
    response = admin_client.get(reverse("volunteering_report:index"), {"community": forged})
    assert response.status_code == 200


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_a_forged_page_id_in_a_chooser_field_is_a_form_error(site_tree, admin_client, forged):
    group = factories.ReviewScopeFactory(page=site_tree.community).group
    before = ReviewScope.objects.count()
    response = admin_client.post(reverse("review_scopes:add"), {"group": group.pk, "page": forged})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert ReviewScope.objects.count() == before


@pytest.mark.django_db
def test_a_page_post_without_its_blocks_is_a_400_that_saves_nothing(
    site_tree, admin_client, caplog
):
    page = factories.StandardPageFactory(parent=site_tree.home, title="关于我们")
    revisions = page.revisions.count()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {"title": "改了", "slug": page.slug}
    )
    assert response.status_code == 400
    assert "提交的内容不完整或格式不对" in response.content.decode()
    assert Page.objects.get(pk=page.pk).draft_title == "关于我们"
    assert page.revisions.count() == revisions
    # Logged with the widget's error, so a real widget bug does not pass for bad input unseen.
    (logged,) = [r for r in caplog.records if r.name == "portal.widget_data"]
    assert logged.exc_info is not None


@pytest.mark.parametrize("body", ["1e400", "NaN", "[]", "not json"])
def test_a_letter_whose_rich_text_is_not_the_editors_json_is_a_400(site_tree, admin_client, body):
    before = Letter.objects.count()
    data = {"title": "通知", "body": body, "sender": "city", "audience": "all"}
    response = admin_client.post(reverse("volunteering_letter:add"), data)
    assert response.status_code == 400
    assert Letter.objects.count() == before


@pytest.mark.django_db
def test_a_megabyte_search_of_a_list_answers_the_list(admin_client, member):
    response = admin_client.get(reverse("volunteering_member:index"), {"q": "社区" * 500_000})
    assert response.status_code == 200


def draft_letter(site_tree, title: str) -> Letter:
    """A community's letter to its own members, not yet sent."""
    community = site_tree.community.specific
    return factories.LetterFactory(
        title=title,
        community=community,
        audience_community=community,
        sender=Letter.Sender.COMMUNITY,
        live=False,
    )


def test_reverting_a_letter_with_its_title_left_empty_saves_a_draft_not_a_500(
    site_tree, admin_client
):
    letter = draft_letter(site_tree, "旧标题")
    revision = letter.save_revision()
    url = reverse("volunteering_letter:revisions_revert", args=[letter.pk, revision.pk])
    response = admin_client.post(url, {"title": ""})
    assert response.status_code == 302  # saved as a draft, as the edit view saves one
    assert letter.revisions.count() == 2
    assert letter.revisions.order_by("pk").last().content["title"] == ""


@pytest.mark.parametrize("following", ["-1", "1e400", "'; DROP TABLE x; --", "//evil.example/"])
def test_a_workflow_actions_next_that_is_no_path_goes_back_to_the_object(
    site_tree, admin_client, following
):
    report = factories.ReportFactory(community=site_tree.community.specific, state="pending")
    url = reverse("volunteering_report:action", args=[report.pk, "confirm"])
    response = admin_client.post(url, {"next": following})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")
    report.refresh_from_db()
    assert report.state == "confirmed"  # the action was done, and says so


@pytest.mark.parametrize("following", ["99999999999999999999", "2026-02-30", "NaN", "-1"])
@pytest.mark.parametrize("decision, state", [("approve", "approved"), ("decline", "declined")])
def test_a_team_decisions_next_that_is_no_path_goes_back_to_the_team(
    site_tree, client, following, decision, state
):
    team = factories.TeamFactory(community=site_tree.community.specific, name="麒麟服务队")
    membership = factories.TeamMembershipFactory(team=team, state="requested")
    client.force_login(factories.community_staff(site_tree.community, "staff-team"))
    url = reverse(f"service:team_join_{decision}", args=[membership.pk])
    response = client.post(url, {"next": following, "reason": "人数已满"})
    assert response.status_code == 302
    assert response["Location"] == reverse("service:team_detail", args=[team.pk])
    membership.refresh_from_db()
    assert membership.state == state  # the decision was made, and says so


def test_unscheduling_a_letters_revision_with_a_next_that_is_no_path_goes_to_its_history(
    site_tree, client
):
    client.force_login(factories.community_staff(site_tree.community, "staff-letter"))
    letter = draft_letter(site_tree, "定时信")
    revision = letter.save_revision()
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(days=2)
    revision.save()
    url = reverse("volunteering_letter:revisions_unschedule", args=[letter.pk, revision.pk])
    response = client.post(url, {"next": "1e400"})
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering_letter:history", args=[letter.pk])
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
