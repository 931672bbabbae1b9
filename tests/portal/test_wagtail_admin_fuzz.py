"""The corpus through Wagtail's own admin addresses, and uploads (issue 12): what
`test_admin_fuzz.py` leaves out because the view is Wagtail's code, not the portal's — users
(list and filters, create, edit with groups and password, delete confirmation, history,
usage), groups with their permission formsets, images and documents (listings with their
filters and collections, edit, the multiple upload and its edit step, the choosers with their
search and upload forms, usage), collections and their privacy, sites, redirects (add, edit,
import), workflows and tasks (create, edit, enable, disable, their choosers), the reports
(site history, aging pages, locked pages, workflows and their tasks, page types usage) with
their filters and their CSV and XLSX exports, the page chooser and its search, the link
choosers, the tag autocompletion, the snippets index, the account page (name, email, password,
language, time zone, notifications), the bulk actions, the editing sessions, the addresses
that take only a POST (the multiple upload's edit step, enable and disable, the editing
sessions' ping: posted empty and with the corpus), the choosers' "chosen" answers (the corpus
in `id`), and the admin's JSON API (its explorer's and choosers' parameters).

The addresses are read from the URL configuration as the staff side's are
(`wagtail_admin_fuzz.wagtail_targets`: every `admin/` pattern that is not the portal's code,
filled with the permission sweep's objects); each page is sent the corpus in every query
parameter and every field of its form, the machinery and the checks of `admin_fuzz` (no
5xx, no traceback, no refused post that wrote, no refused character stored at the end). A
chooser answers JSON around its HTML: the HTML is read. As the city (a superuser) everywhere;
as a city admin who is not one, community staff, an organisation's admin and community staff
given Wagtail's "Editors" group (the media library) on the addresses without an object's id.

Uploads, posted as a browser would (multipart, the file names raw): through the image and
document forms — the single upload, the multiple upload and the chooser's upload — files with
hostile names (NUL, right-to-left override, zero-width characters, a 1 MB name, `../` and
`..\\` paths, markup, SQL, no name at all), an empty file, text named .png or .pdf, a truncated
PNG, a PNG header claiming 60,000 × 60,000 pixels, with corpus titles and tags. Each must be
refused with a clear error or stored under a safe name, never a 5xx or a traceback; a refused
one leaves no row and no file, a stored one a row whose file exists and no other file. And the
redirects' import: CSV files with the corpus, control characters, bytes that are not UTF-8, a
single column, an empty file, a PNG named .csv, text named .xlsx, a 1 MB and a `../` name; the
confirmation each one answers is posted as given; no 5xx and no redirect with a refused
character."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from tests import factories
from tests.factories import build_site_tree
from tests.portal import wagtail_admin_fuzz as wagtail
from tests.portal import wagtail_upload_fuzz as uploads
from tests.portal.admin_fuzz import stored_forbidden
from tests.portal.sweep_world import build_foreign, build_roles, city_admin, rolled_back


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission sweep's world (an object of every kind Wagtail's admin addresses take),
    the city, a city admin who is not a superuser, and community staff with the media library;
    rolled back at the module's end."""
    with rolled_back(django_db_blocker):
        tree = build_site_tree()
        roles = build_roles(tree)
        foreign = build_foreign(tree, roles)
        roles.users["city"] = factories.UserFactory(
            username="city-wfuzz", is_superuser=True, is_staff=True
        )
        roles.users["cityadmin"] = city_admin("cityadmin-wfuzz")
        media = factories.community_staff(tree.community, "media-wfuzz")
        media.groups.add(Group.objects.get(name="Editors"))  # Wagtail's own: images, documents
        roles.users["mediastaff"] = media
        yield tree, roles, foreign


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer the test reports
    client.force_login(user)
    return client


def test_wagtails_admin_addresses_are_found_from_the_url_configuration(world, db):
    _tree, _roles, foreign = world
    urls = [target.url for target in wagtail.wagtail_targets(foreign)]
    for expected in (
        "/admin/users/",
        "/admin/users/new/",
        "/admin/groups/new/",
        "/admin/images/multiple/add/",
        "/admin/documents/chooser/",
        "/admin/collections/add/",
        "/admin/sites/new/",
        "/admin/redirects/import/",
        "/admin/workflows/add/",
        "/admin/workflows/tasks/add/wagtailcore/groupapprovaltask/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/account/",
    ):
        assert expected in urls
    assert any(url.startswith("/admin/users/edit/") for url in urls)
    assert any(url.startswith("/admin/groups/edit/") for url in urls)
    # The portal's own views are the other test's.
    assert not any(url.startswith(("/admin/volunteering/", "/admin/pages/")) for url in urls)


SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="swept once, in the SQLite suite"
)
ROLES = ["city", "cityadmin", "staff", "orgadmin", "mediastaff"]


@SQLITE_ONLY
@pytest.mark.parametrize("who", ROLES)
def test_no_wagtail_admin_form_filter_or_listing_answers_the_corpus_with_a_5xx(world, who, db):
    _tree, roles, foreign = world
    client = signed_in(roles.users[who])
    targets = wagtail.wagtail_targets(foreign)
    if who != "city":  # the addresses without an object's id: listings, filters, create forms
        targets = [t for t in targets if t.pk is None]
    seeds = itertools.count(sum(map(ord, who)) + 11)
    problems, answered = [], []
    for target in targets:
        found, opened = wagtail.fuzz_wagtail(client, who, target, next(seeds))
        problems += found
        answered += [target.url] if opened else []
    problems += wagtail.api_problems(client, who, next(seeds))
    problems += stored_forbidden()
    assert not problems, "\n".join(problems)
    # The role reached what Wagtail lets it in to (a sweep of refusals would prove nothing).
    assert "/admin/account/" in answered
    if who in ("city", "mediastaff"):  # (the city admin is given no media library)
        assert "/admin/images/multiple/add/" in answered, answered
    if who == "city":
        assert len(answered) > 60, answered


@SQLITE_ONLY
@pytest.mark.parametrize("who", ["city", "mediastaff", "staff"])
def test_uploads_with_hostile_names_and_contents_are_refused_or_stored_safely(
    world, who, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the files written, and only they
    _tree, roles, _foreign = world
    client = signed_in(roles.users[who])
    problems, stored = [], 0
    for index, form in enumerate(uploads.UPLOAD_FORMS):
        found, count = uploads.upload_problems(client, who, form, index * 5, tmp_path)
        problems += found
        stored += count
    problems += uploads.redirect_import_problems(client, who)
    assert not problems, "\n".join(problems)
    if who == "staff":  # no permission on the media library: nothing stored
        assert stored == 0
    else:  # the good files under odd names were stored (safely): the refusals are not all
        assert stored >= 10, stored
