"""One definition of a member's hours (docs/hours.md): hours are stored when attendance is
recorded, by a QR check-in (the activity's length) or by staff (what they enter), and every
reader shows that stored value. A member checks in by QR at one activity (2 h) and staff mark
2.5 h at another: the admin list, the export, the API, "my service", the printed service file
and the year-end assessment all say 2 + 2.5 = 4.5 h."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import community_staff
from tests.volunteering.admin.support import url, xlsx_rows
from tests.volunteering.api_support import as_
from volunteering.signups.models import SignUp
from volunteering.signups.selectors import activity_hours, signup_hours
from workflows.statemachine import fixture_states


@pytest.fixture
def world(site_tree, city):
    community = site_tree.community
    w = type("World", (), {})()
    w.community = community
    w.staff = community_staff(community, "qilin-staff")
    w.city = city
    w.member = factories.MemberFactory(real_name="李明")
    report = factories.ReportFactory(member=w.member, community=community, state="confirmed")
    assert report.created_at.year == timezone.localdate().year
    now = timezone.now()
    # Started half an hour ago, two hours long: check-in is open now.
    w.scanned = factories.ActivityPageFactory(
        parent=community,
        title="社区清洁日",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    w.marked = factories.ActivityPageFactory(
        parent=community,
        title="政策宣讲",
        starts_at=now - datetime.timedelta(hours=5),
        ends_at=now - datetime.timedelta(hours=2),
    )
    for activity in (w.scanned, w.marked):
        factories.SignUpFactory(activity=activity, member=w.member, state=SignUp.State.APPROVED)
    return w


def check_in_by_qr(client, w):
    client.force_login(w.member.user)
    checkin = w.scanned.url + w.scanned.reverse_subpage("checkin")
    response = client.post(checkin, {"code": w.scanned.checkin_code})
    assert response.status_code == 302
    return SignUp.objects.get(activity=w.scanned, member=w.member)


def mark_by_staff(client, w, hours: str):
    client.force_login(w.staff)
    signup = SignUp.objects.get(activity=w.marked, member=w.member)
    response = client.post(url("signup", "action", signup.pk, "mark_attended"), {"hours": hours})
    assert response.status_code == 302
    signup.refresh_from_db()
    return signup


def test_a_qr_check_in_stores_the_activitys_length_as_the_hours(client, world):
    signup = check_in_by_qr(client, world)
    assert signup.state == SignUp.State.ATTENDED
    assert signup.hours == Decimal("2.0")
    latest = signup.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_transition, latest.hours) == ("check_in", Decimal("2.0"))


def test_every_page_export_and_the_assessment_agree_on_the_members_hours(client, world):
    check_in_by_qr(client, world)
    mark_by_staff(client, world, "2.5")

    # The admin sign-up list and its export.
    client.force_login(world.staff)
    listing = client.get(url("signup", "index"))
    rows = {row.activity.title: row for row in listing.context["object_list"]}
    assert (rows["社区清洁日"].hours, rows["政策宣讲"].hours) == (Decimal("2.0"), Decimal("2.5"))
    heading, *exported = xlsx_rows(
        b"".join(client.get(url("signup", "index") + "?export=xlsx").streaming_content)
    )
    hours = heading.index("服务时长（小时）")
    assert sorted(float(row[hours]) for row in exported) == [2.0, 2.5]

    # The year-end assessment.
    year = timezone.localdate().year
    edit = reverse("volunteering_assessment_edit", args=(world.community.pk, year, world.member.pk))
    summary = client.get(edit).context["summary"]
    assert (summary.activities, summary.hours) == (2, Decimal("4.5"))
    index = f"{reverse('volunteering_assessment_index')}?community={world.community.pk}&year={year}"
    (row,) = client.get(index).context["rows"]
    assert row.summary.hours == Decimal("4.5")

    # The printed service file (staff open it).
    record = client.get(reverse("service:service_file_print", args=[world.member.pk])).context[
        "record"
    ]
    assert record.hours_total == Decimal("4.5")

    # The member's own "my service" page and the API.
    client.force_login(world.member.user)
    service = client.get(reverse("service:my_service")).context["service"]
    assert service.hours_total == Decimal("4.5")
    assert sorted(entry.hours for entry in service.work_record) == [Decimal("2.0"), Decimal("2.5")]
    items = as_(world.member.user).get("/me/signups").json()["items"]
    assert sorted(item["hours"] for item in items) == [2.0, 2.5]


def test_staff_correcting_a_checked_in_members_hours_changes_every_reader(client, world):
    signup = check_in_by_qr(client, world)
    client.force_login(world.staff)
    response = client.post(url("signup", "action", signup.pk, "set_hours"), {"hours": "1.5"})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.hours == Decimal("1.5")
    client.force_login(world.member.user)
    assert client.get(reverse("service:my_service")).context["service"].hours_total == Decimal(
        "1.5"
    )


def test_marking_a_no_show_clears_the_hours(client, world):
    signup = check_in_by_qr(client, world)
    client.force_login(world.staff)
    client.post(url("signup", "action", signup.pk, "mark_no_show"), {})
    signup.refresh_from_db()
    assert (signup.state, signup.hours, signup_hours(signup)) == ("no_show", None, Decimal(0))


def test_an_attended_signup_without_hours_is_invalid(world):
    with fixture_states():
        signup = factories.SignUpFactory(activity=world.marked, state=SignUp.State.ATTENDED)
    signup.hours = None
    with pytest.raises(ValidationError) as excinfo:
        signup.full_clean()
    assert "hours" in excinfo.value.message_dict


def test_the_activitys_length_is_rounded_to_a_tenth_of_an_hour(world):
    world.marked.ends_at = world.marked.starts_at + datetime.timedelta(minutes=100)
    assert activity_hours(world.marked) == Decimal("1.7")
