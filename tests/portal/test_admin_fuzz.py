"""The staff side of issue 12's corpus test: every admin address the portal adds — its viewsets'
listings, create, edit, inspect, history and action views, the custom admin views (assessment,
report rates, demonstrations, the report draft, the choosers), the settings it registers, and
Wagtail's page editor for each of the portal's page types — is sent the corpus (NUL, a lone
surrogate, a 1 MB string, right-to-left overrides, zero-width characters, SQL and FTS syntax,
numbers out of range, impossible dates) in every query parameter and every form field its own
page declares, by the city (a superuser), a city admin who is not one (the city permission
through a group), staff of a community and an organisation's admin; the last three also on the
objects of their own community and organisation (the forms they really use), with the staff
print views outside admin/ and the team-request decisions.

The addresses are read from the URL configuration (`sweep_urls.routes`, filled as the
permission sweep fills them, `sweep_table`): an admin pattern is fuzzed when its view, or the
viewset it belongs to, is the portal's own code, so a new view is fuzzed without being listed
here. What each one declares is read from the page itself: the fields of its GET forms (a
listing's search and filters) and of the POST form that posts back to it (its fields with their
current values), plus the listing parameters every Wagtail listing reads (`q`, `p`, `ordering`).

Deterministic sampling, not the cross product: the corpus is dealt round the fields, each round
starting one value further on, so every field meets several corpus values and every value many
fields. A form is posted once with every field spoiled and twice with half of its fields
spoiled and the others as the page gave them (so that the spoiled ones reach the form's
validation, the service and the save). A listing's `results/` twin (the same view, answering
its search and filters without the page around them) is left to its listing.

It fails on any 5xx or traceback; on a refused post (anything but a redirect) that changed the
object posted to or the number of its model's rows; on Django's English error messages in a
Chinese answer; and when, at the end, any text column of the portal's models holds a character
the input guard refuses (`portal.input_guard.has_forbidden`)."""

import itertools
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from wagtail.models import Page

from tests import factories
from tests.factories import build_site_tree
from tests.portal.admin_fuzz import (
    LONG_ADDRESS,
    Target,
    admin_targets,
    dealt,
    fuzz,
    problems_of,
    stored_forbidden,
)
from tests.portal.sweep_world import build_foreign, build_own, build_roles, city_admin, rolled_back
from volunteering.people.models import Member
from volunteering.teams.models import TeamMembership

# --- The world and the tests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission sweep's world (every kind of object an admin address takes), plus a page
    of each of the portal's page types, and the city; rolled back at the module's end."""
    with rolled_back(django_db_blocker):
        tree = build_site_tree()
        roles = build_roles(tree)
        foreign = build_foreign(tree, roles)
        factories.NewsPageFactory(parent=tree.news, title="新闻")
        factories.BrandProjectPageFactory(parent=tree.community, title="品牌项目")
        factories.ActivityIndexPageFactory(parent=tree.community, title="活动")
        roles.users["city"] = factories.UserFactory(
            username="city-fuzz", is_superuser=True, is_staff=True
        )
        roles.users["cityadmin"] = city_admin("cityadmin-fuzz")
        own = build_own(tree, roles)
        yield tree, roles, foreign, own


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer the test reports
    client.force_login(user)
    return client


def test_the_portals_admin_addresses_are_found_from_the_url_configuration(world, db):
    _tree, _roles, foreign, _own = world
    urls = [target.url for target in admin_targets(foreign)]
    for expected in (
        "/admin/volunteering/report/",
        "/admin/volunteering/gooddeed/new/",
        "/admin/assessment/",
        "/admin/report-rates/",
        "/admin/report-draft/",
        "/admin/review_scopes/",
        "/admin/volunteering_organisation_chooser/",
    ):
        assert expected in urls
    assert any(url.startswith("/admin/volunteering/letter/edit/") for url in urls)
    assert any(url.startswith("/admin/settings/portal/portalsettings/") for url in urls)
    assert any(url.endswith("/edit/") and url.startswith("/admin/pages/") for url in urls)
    assert not any(url.startswith(("/admin/images/", "/admin/users/")) for url in urls)


# Engine-independent form and filter code: run in the SQLite suite; on PostgreSQL the search
# and NUL refusals have their own tests (tests/portal/test_input_guard.py, test_search.py).
@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
@pytest.mark.parametrize("who", ["city", "cityadmin", "staff", "orgadmin"])
def test_no_admin_form_filter_or_listing_answers_the_corpus_with_a_5xx(world, who, db):
    _tree, roles, foreign, _own = world
    client = signed_in(roles.users[who])
    targets = admin_targets(foreign)
    if who != "city":  # the addresses without an object's id: listings, filters, create forms
        # (their objects' forms: `test_no_form_of_the_roles_own_objects_answers_the_corpus…`)
        targets = [t for t in targets if t.pk is None and "/edit/" not in t.url]
    # The role reaches the lists (a sweep of 403s would prove nothing).
    assert client.get("/admin/volunteering/report/").status_code == 200
    seeds = itertools.count(sum(map(ord, who)))
    problems, actions = [], {}
    for target in targets:
        problems += fuzz(client, who, target, next(seeds), actions)
    # Then each workflow action the pages offered (once each), with its reason or form spoiled.
    for target in actions.values():
        problems += fuzz(client, who, target, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)


# --- The roles' own objects, the print views and the team decisions ------------------------------


def own_targets(foreign, own) -> list[Target]:
    """The admin addresses that take an object id, filled with the roles' OWN objects (their
    community's, their organisation's), the page editor on their own pages, and the staff print
    views outside admin/ (a member's service file, the community's contact handbook)."""
    merged = type(foreign)(ids={**foreign.ids, **own.ids})
    theirs = {target.url for target in admin_targets(foreign)}
    found = [t for t in admin_targets(merged) if t.url not in theirs]
    community = own.ids["community"][0]
    for pk in (*own.ids["page"], *own.ids["activity"]):
        found.append(Target(f"/admin/pages/{pk}/edit/", Page, pk))
    found.append(Target(f"/admin/pages/add/portal/standardpage/{community}/", Page))
    found.append(Target(f"/service/members/{own.ids['member'][0]}/service-file/print/"))
    found.append(Target(f"/service/communities/{community}/handbook/print/"))
    return found


def decide_on_team_requests(client: Client, who: str, own, seed: int) -> list[str]:
    """The team-request approve and decline posts (the team page's buttons), their reason and
    `next` spoiled, each once with an empty body; and a GET each with the corpus in its query."""
    problems = []
    for index, pk in enumerate(own.ids["teammembership"]):
        for decision in ("approve", "decline"):
            url = f"/service/team-requests/{pk}/{decision}/"
            query = urlencode(dealt(["reason", "next"], seed + index, LONG_ADDRESS))
            problems += problems_of("GET", f"{url}?{query}", who, client.get(f"{url}?{query}"))
            for round_ in range(3):
                body = urlencode(dealt(["reason", "next"], seed + round_ * 5 + index))
                response = client.post(url, body, "application/x-www-form-urlencoded")
                problems += problems_of("POST", url, who, response)
            problems += problems_of("POST", url, who, client.post(url, {}))
    return problems


@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
@pytest.mark.parametrize("who", ["staff", "orgadmin", "cityadmin"])
def test_no_form_of_the_roles_own_objects_answers_the_corpus_with_a_5xx(world, who, db):
    """As the forms are really used: community staff on their community's objects, an
    organisation's admin on their organisation's, a city admin (not a superuser) on both —
    edit forms, inspect pages, workflow actions, page editor, print views, team decisions."""
    _tree, roles, foreign, own = world
    client = signed_in(roles.users[who])
    targets = own_targets(foreign, own)
    seeds = itertools.count(sum(map(ord, who)) + 3)
    problems, actions, answered = [], {}, 0
    for target in targets:
        before = len(actions)
        problems += fuzz(client, who, target, next(seeds), actions)
        answered += client.get(target.url).status_code == 200 or len(actions) > before
    for target in actions.values():
        problems += fuzz(client, who, target, next(seeds))
    problems += decide_on_team_requests(client, who, own, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    # The role really reached its own objects' pages (not a sweep of 403s and 404s).
    assert answered >= 5 and actions, (answered, list(actions))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="swept once, in the SQLite suite")
def test_a_team_leader_deciding_and_a_member_printing_their_file_meet_no_5xx(world, db):
    """The other role that reaches these views: member A, who leads community A's team (so
    decides on its requests) and prints their own service file."""
    _tree, roles, _foreign, own = world
    client = signed_in(roles.users["member"])
    member = Member.objects.get(user=roles.users["member"])
    url = f"/service/members/{member.pk}/service-file/print/"
    assert client.get(url).status_code == 200
    problems = fuzz(client, "member", Target(url), 41)
    problems += decide_on_team_requests(client, "member", own, 43)
    assert not problems, "\n".join(problems)
    assert set(
        TeamMembership.objects.filter(pk__in=own.ids["teammembership"]).values_list(
            "state", flat=True
        )
    ) <= {"approved", "declined"}  # the leader's decisions were taken
