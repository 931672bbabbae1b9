"""Report rates (报到率) and the 90% rule on data built for it, the city's report (sorting,
filters, who has not reported) and the organisation admin's reminder emails."""

import datetime

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import community_staff, organisation_admin
from volunteering.assessment.models import ReportReminder
from volunteering.assessment.selectors import non_reporters, organisation_report_rates
from volunteering.reporting.models import Report

YEAR = timezone.localdate().year


def report(member, community, *, state="confirmed", year=YEAR, is_primary=True):
    made = factories.ReportFactory(
        member=member, community=community, state=state, is_primary=is_primary
    )
    when = timezone.make_aware(datetime.datetime(year, 3, 1, 9, 0))
    Report.objects.filter(pk=made.pk).update(created_at=when)
    return made


def organisation_with(name, *, roll, reported, community, **extra_reports):
    """An organisation with `roll` members of whom the first `reported` hold a confirmed report
    made this year."""
    organisation = factories.OrganisationFactory(name=name)
    members = [
        factories.MemberFactory(
            organisation=organisation,
            real_name=f"{name}党员{i}",
            user__email=f"{name}-{i}@example.cn",
        )
        for i in range(roll)
    ]
    for member in members[:reported]:
        report(member, community)
    return organisation, members


@pytest.fixture
def world(site_tree, city):
    community = site_tree.community
    w = type("World", (), {})()
    w.community = community
    w.nine, w.nine_members = organisation_with("九成局", roll=10, reported=9, community=community)
    w.eight, w.eight_members = organisation_with("八成局", roll=10, reported=8, community=community)
    w.empty, _ = organisation_with("空编局", roll=0, reported=0, community=community)
    # Reports that do not count for this year: pending, withdrawn, returned, made last year.
    for member, kind in zip(
        w.eight_members[8:], [{"state": "pending"}, {"year": YEAR - 1}], strict=True
    ):
        report(member, site_tree.other_community, **kind)
    w.city = city
    w.eight_admin = organisation_admin(w.eight, "eight-admin")
    w.nine_admin = organisation_admin(w.nine, "nine-admin")
    w.staff = community_staff(community, "qilin-staff")
    return w


def rates_by_name(year=YEAR):
    return {r.organisation.name: r for r in organisation_report_rates(year=year)}


def test_nine_of_ten_is_eligible_eight_of_ten_is_not_and_nobody_on_the_roll_is_not(world):
    rates = rates_by_name()
    nine, eight, empty = rates["九成局"], rates["八成局"], rates["空编局"]
    assert (nine.roll, nine.reported, nine.percent, nine.eligible) == (10, 9, 90.0, True)
    assert (eight.roll, eight.reported, eight.percent, eight.eligible) == (10, 8, 80.0, False)
    assert (empty.roll, empty.reported, empty.rate, empty.eligible) == (0, 0, None, False)


def test_a_member_reported_to_two_communities_counts_once(world, site_tree):
    report(world.nine_members[0], site_tree.other_community, is_primary=False)
    assert rates_by_name()["九成局"].reported == 9


def test_the_threshold_is_a_setting(world):
    with override_settings(ADVANCED_ORGANISATION_MIN_REPORT_RATE=0.8):
        assert rates_by_name()["八成局"].eligible is True
    with override_settings(ADVANCED_ORGANISATION_MIN_REPORT_RATE=0.95):
        assert rates_by_name()["九成局"].eligible is False


def test_last_years_reports_count_for_last_year(world):
    rates = rates_by_name(YEAR - 1)
    assert rates["八成局"].reported == 1
    assert rates["九成局"].reported == 0


def test_the_non_reporters_are_those_without_a_confirmed_report_this_year(world):
    names = {m.real_name for m in non_reporters(organisation=world.eight, year=YEAR)}
    assert names == {"八成局党员8", "八成局党员9"}


def rates_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('volunteering_report_rates')}?{query}"


def test_the_city_sees_every_organisation_sorted_and_filtered(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.city)
    client.get(rates_url(year=YEAR))
    with django_assert_max_num_queries(20):
        response = client.get(rates_url(year=YEAR, sort="-rate"))
    names = [r.organisation.name for r in response.context["rates"]]
    assert names == ["九成局", "八成局", "空编局"]
    response = client.get(rates_url(year=YEAR, sort="rate"))
    assert [r.organisation.name for r in response.context["rates"]] == [
        "八成局",
        "九成局",
        "空编局",
    ]
    response = client.get(rates_url(year=YEAR, eligibility="yes"))
    assert [r.organisation.name for r in response.context["rates"]] == ["九成局"]
    response = client.get(rates_url(year=YEAR, eligibility="no"))
    assert {r.organisation.name for r in response.context["rates"]} == {"八成局", "空编局"}
    html = response.content.decode()
    assert "80.0%" in html and "不符合" in html


def test_the_report_costs_the_same_queries_with_more_organisations(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.city)
    client.get(rates_url(year=YEAR))
    for n in range(10):
        organisation_with(f"新增局{n}", roll=3, reported=1, community=world.community)
    with django_assert_max_num_queries(20):
        response = client.get(rates_url(year=YEAR))
    assert len(response.context["rates"]) == 13


def test_the_city_drills_down_to_who_has_not_reported_but_cannot_remind(world, client):
    client.force_login(world.city)
    url = reverse("volunteering_report_rate_detail", args=(world.eight.pk, YEAR))
    response = client.get(url)
    assert {m.real_name for m in response.context["members"]} == {"八成局党员8", "八成局党员9"}
    assert response.context["may_remind"] is False
    client.post(url)
    assert mail.outbox == []
    assert not ReportReminder.objects.exists()


def test_an_organisation_admin_sees_only_their_own_organisation(world, client):
    client.force_login(world.eight_admin)
    response = client.get(rates_url(year=YEAR))
    assert [r.organisation.name for r in response.context["rates"]] == ["八成局"]
    other = client.get(reverse("volunteering_report_rate_detail", args=(world.nine.pk, YEAR)))
    assert other.status_code in (302, 403)
    assert "members" not in (other.context or {})


def test_community_staff_have_no_report_rates(world, client):
    client.force_login(world.staff)
    response = client.get(rates_url(year=YEAR))
    assert response.status_code in (302, 403)


def test_reminders_go_to_each_non_reporter_once_and_not_again_within_a_day(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(world.eight_admin)
    url = reverse("volunteering_report_rate_detail", args=(world.eight.pk, YEAR))
    assert client.get(url).context["may_remind"] is True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["八成局-8@example.cn", "八成局-9@example.cn"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "八成局" in mail.outbox[0].subject and str(YEAR) in mail.outbox[0].subject
    reminders = ReportReminder.objects.filter(organisation=world.eight)
    assert {r.member for r in reminders} == set(world.eight_members[8:])
    assert all(r.sent_by == world.eight_admin and r.year == YEAR for r in reminders)
    assert all(m.reminded_at for m in client.get(url).context["members"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # a second click the same day sends nothing
    assert len(mail.outbox) == 2
    assert reminders.count() == 2

    # A day later they can be reminded again.
    ReportReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 4


def test_another_organisations_admin_cannot_remind(world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.nine_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteering_report_rate_detail", args=(world.eight.pk, YEAR))
        )
    assert response.status_code in (302, 403)
    assert mail.outbox == []
    assert not ReportReminder.objects.exists()


def test_the_emails_are_sent_only_after_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from volunteering.assessment.services import report_reminders_send

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            report_reminders_send(organisation=world.eight, year=YEAR, by=world.eight_admin)
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert mail.outbox == []
    assert not ReportReminder.objects.exists()


@pytest.mark.parametrize("year", [0, 1900, 99999999])
def test_a_year_out_of_the_programmes_range_is_not_found(world, client, year):
    # Once a 500: the year went into date arithmetic before anything checked it.
    client.force_login(world.city)
    url = reverse("volunteering_report_rate_detail", args=(world.eight.pk, year))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not ReportReminder.objects.exists()
