"""Hypothesis over the members' forms (issue 12), as `test_public_forms_fuzz.py` does for the
public ones: a signed-in member types anything — control characters, right-to-left overrides,
zero-width characters, SQL and FTS syntax, strings past every limit, numbers out of range,
impossible dates — into the report (报到), the profile, the pledge to a post, the cancellation of
a sign-up with its reason, the closure request and the check-in code, and sends any id to the
addresses of "my service": the answer is never a 5xx; a refused form writes nothing (and
changes nothing); an accepted one writes its one row, holding no character the portal refuses
(`portal.input_guard`). Through the real views, with the test client; a few examples each."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.api_auth import api_token_issue
from portal.input_guard import has_forbidden
from tests import factories
from tests.portal.test_public_forms_fuzz import text
from volunteering.menu.models import PostPledge
from volunteering.privacy.models import AccountClosure
from volunteering.reporting.models import Report
from volunteering.signups.models import SignUp

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = (200, 302, 400)
# A checkbox as browsers send it, or anything else.
checkbox = st.one_of(st.sampled_from(["on", ""]), text)
# Dates as the phone's date picker sends them, and what it never would.
dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "99999-01-01", "0000-00-00", "-1", "2026-13-01", "1e9"]),
    text,
)
# Ids in forms and addresses: real ones, and beyond what any database column holds.
ids = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), text)


@pytest.fixture
def signed_in(site_tree, member):
    client = Client()
    client.force_login(member.user)
    return client


def assert_clean(*values):
    assert not any(has_forbidden(str(value)) for value in values), values


@pytest.mark.django_db
@FUZZ
@given(
    kind=st.one_of(st.sampled_from(Report.Kind.values), text),
    primary=checkbox,
    note=text,
)
def test_the_report_form(signed_in, site_tree, member, kind, primary, note):
    url = reverse("service:report_create", args=[site_tree.community.pk])
    data = {"kind": kind, "is_primary": primary, "note": note}
    response = signed_in.post(url, data)
    assert response.status_code in ANSWERS, response.status_code
    reports = Report.objects.filter(member=member)
    assert reports.count() == (1 if response.status_code == 302 else 0)
    for report in reports:
        assert_clean(report.note, report.kind)
    reports.delete()  # the next example reports afresh


def _profile(member):
    member.refresh_from_db()
    return (
        member.other_skills,
        member.residence_community_id,
        member.phone,
        member.hide_from_rankings,
        member.privacy_consent_at,
        sorted(member.skills.values_list("pk", flat=True)),
    )


@pytest.mark.django_db
@FUZZ
@given(
    skills=st.lists(st.one_of(st.just("skill"), ids), max_size=3),
    other_skills=text,
    residence=st.one_of(st.just("community"), ids),
    phone=st.one_of(st.sampled_from(["13812345678", "138 1234 5678", ""]), text),
    consent=checkbox,
    hide=checkbox,
)
@example(
    skills=[str(2**64), "-1", "1e400"],
    other_skills="\u202e\u200b",
    residence=str(-(2**70)),
    phone="9" * 40,
    consent="on",
    hide="on",
)
def test_the_profile_form(
    signed_in, site_tree, member, skills, other_skills, residence, phone, consent, hide
):
    skill = factories.SkillFactory()
    real = {"skill": str(skill.pk), "community": str(site_tree.community.pk)}
    data = {
        "skills": [real.get(value, value) for value in skills],
        "other_skills": other_skills,
        "residence_community": real.get(residence, residence),
        "phone": phone,
        "consent": consent,
        "hide_from_rankings": hide,
    }
    before = _profile(member)
    response = signed_in.post(reverse("service:member_profile"), data)
    assert response.status_code in ANSWERS, response.status_code
    after = _profile(member)
    if response.status_code == 302:
        assert_clean(*after)
    else:
        assert after == before


@pytest.mark.django_db
@FUZZ
@given(commitment=text, starts_on=dates, ends_on=dates)
@example(commitment="每周六上午巡查楼栋", starts_on="0001-01-01", ends_on="9999-12-31")
@example(commitment="每周六上午巡查楼栋", starts_on="2026-02-30", ends_on="99999-01-01")
def test_the_pledge_form(signed_in, site_tree, member, commitment, starts_on, ends_on):
    post = factories.PostFactory(community=site_tree.community)
    data = {"commitment": commitment, "starts_on": starts_on, "ends_on": ends_on}
    response = signed_in.post(reverse("service:post_detail", args=[post.pk]), data)
    assert response.status_code in ANSWERS, response.status_code
    pledges = PostPledge.objects.filter(post=post)
    assert pledges.count() == (1 if response.status_code == 302 else 0)
    for pledge in pledges:
        assert_clean(pledge.commitment)


@pytest.mark.django_db
@FUZZ
@given(reason=text, confirm=st.one_of(st.just("1"), text))
def test_cancelling_a_sign_up_with_a_reason(signed_in, site_tree, member, reason, confirm):
    activity = factories.ActivityPageFactory(parent=site_tree.community)
    signup = factories.SignUpFactory(activity=activity, member=member, state="approved")
    url = activity.url + activity.reverse_subpage("cancel")
    response = signed_in.post(url, {"reason": reason, "confirm": confirm})
    assert response.status_code in ANSWERS, response.status_code
    signup.refresh_from_db()
    if signup.state == SignUp.State.CANCELLED:
        assert response.status_code == 302
        assert_clean(*signup.history.values_list("history_reason", flat=True))
    else:
        assert signup.state == SignUp.State.APPROVED


@pytest.mark.django_db
@FUZZ
@given(reason=text, understood=checkbox)
def test_the_closure_request(signed_in, member, reason, understood):
    response = signed_in.post(
        reverse("service:closure_request"), {"reason": reason, "understood": understood}
    )
    assert response.status_code in ANSWERS, response.status_code
    closures = AccountClosure.objects.filter(member=member)
    assert closures.count() == (1 if response.status_code == 302 else 0)
    for closure in closures:
        assert_clean(closure.reason)
    closures.delete()  # the next example asks afresh


@pytest.mark.django_db
@FUZZ
@given(code=text)
@example(code="' OR 1=1 --" * 20)
def test_the_check_in_code(signed_in, site_tree, member, code):
    activity = factories.ActivityPageFactory(parent=site_tree.community)
    factories.SignUpFactory(activity=activity, member=member, state="approved")
    url = activity.url + activity.reverse_subpage("checkin")
    response = signed_in.post(url, {"code": code})
    assert response.status_code in ANSWERS, response.status_code
    assert not SignUp.objects.filter(activity=activity, checked_in_at__isnull=False).exists()


MY_ADDRESSES = [
    "service:report_withdraw",
    "service:claim_withdraw",
    "service:pledge_withdraw",
    "service:team_leave",
    "service:team_join",
    "service:closure_withdraw",
    "service:claim_create",
    "service:letter_detail",
    "api_token_revoke",
]


@pytest.mark.django_db
@FUZZ
@given(
    name=st.sampled_from(MY_ADDRESSES),
    pk=st.integers(min_value=0, max_value=2**70),
    following=st.one_of(text, st.sampled_from(["//evil.example/", "https://evil.example/"])),
)
def test_any_id_and_any_next_in_my_service(signed_in, member, name, pk, following):
    api_token_issue(user=member.user)
    response = signed_in.post(reverse(name, args=[pk]), {"next": following})
    assert response.status_code in (302, 400, 404), (name, pk, response.status_code)
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.django_db
@FUZZ
@given(
    address=st.sampled_from(
        ["service:my_service", "service:my_points", "service:letter_inbox", "service:my_data"]
    ),
    page=st.one_of(ids, text),
    kind=st.one_of(st.sampled_from(["report", "signup", "claim", "pledge"]), text),
    pk=st.integers(min_value=0, max_value=2**70),
)
def test_my_service_pages_answer_any_page_and_any_history(signed_in, address, page, kind, pk):
    response = signed_in.get(reverse(address), {"page": page})
    assert response.status_code in (200, 400), (address, response.status_code)
    slug = kind if kind.isascii() and kind.isidentifier() else "report"
    history = signed_in.get(reverse("service:my_history", args=[slug, pk]))
    assert history.status_code in (400, 404), (slug, pk, history.status_code)
