"""No page, public or admin, loads anything from another host (issue 10): on city networks an
outside host is a broken image or a hung page, and each request tells a third party who is
reading what (Gravatar was sent a hash of every admin user's email). Links to other sites that
a reader follows (<a href>) are allowed; what the browser loads by itself is not.

The walk (tests/portal/page_walk.py) renders every public page type and the routes they link
to, anonymously and as a member, and the main admin views as community staff and as a
superuser: the dashboard, the page explorer, each page type's edit form, every item of the
sidebar, and the first object and the add form of each listing."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests import factories
from tests.portal import page_walk
from tests.volunteering.admin.support import build_world


@pytest.fixture
def world(site_tree):
    world = build_world(site_tree)
    page_walk.build_one_of_each_page_type(world, site_tree)
    return world


def allowed_hosts() -> set[str]:
    return {"testserver", urlsplit(settings.PORTAL_BASE_URL).hostname}


def test_the_reader_finds_what_a_page_loads_from_outside():
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example.com/a.css">
      <link rel="icon" href="//icons.example.com/i.png">
      <link rel="canonical" href="https://testserver/x/">
      <style>body { background: url('https://img.example.com/bg.png') }</style>
      </head><body>
      <a href="https://other.example.org/">an outside link a reader may follow</a>
      <img src="//www.gravatar.com/avatar/abc" srcset="/local.png 1x, https://x.example/b.png 2x">
      <form action="https://forms.example.net/post"></form>
      <div data-w-upgrade-url-value="https://releases.example.org/latest.txt"></div>
      <svg xmlns="http://www.w3.org/2000/svg"></svg>
      <iframe src="https://testserver/embed/"></iframe>
    </body></html>"""
    found = page_walk.outside_loads(html, {"testserver"})
    assert [entry.split(": ", 1)[1] for entry in found] == [
        "https://cdn.example.com/a.css",
        "//icons.example.com/i.png",
        "https://img.example.com/bg.png",
        "//www.gravatar.com/avatar/abc",
        "https://x.example/b.png",
        "https://forms.example.net/post",
        "https://releases.example.org/latest.txt",
    ]


def test_public_pages_load_nothing_from_another_host(world, client):
    member = world.a.member.user
    visited = []
    for who in (None, member):
        if who is not None:
            client.force_login(who)
        for url, html in page_walk.public_pages(client):
            visited.append(url)
            assert page_walk.outside_loads(html, allowed_hosts()) == [], url
    # The walk reached every page type and the routes beside them.
    for expected in ("/", "/activities/", "/communities/qilin/qilin-community/", "/my/"):
        assert expected in visited, visited
    assert any(url.endswith("/print/") for url in visited), visited
    assert any(url.startswith("/news/") and url != "/news/" for url in visited), visited


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_admin_views_load_nothing_from_another_host(world, client, role):
    user = (
        world.a.staff
        if role == "staff"
        else factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    visited = []
    for url, html in page_walk.admin_views(client, user):
        visited.append(url)
        assert page_walk.outside_loads(html, allowed_hosts()) == [], url
    assert len(visited) > 10, visited


def test_avatars_are_the_admins_own_image_not_gravatar(world, client):
    user = factories.UserFactory(username="root", is_superuser=True, email="root@example.com")
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html
    assert "/static/wagtailadmin/images/default-user-avatar" in html


def test_superusers_dashboard_asks_no_outside_server_for_upgrades(world, client):
    # Wagtail's upgrade check is a script that fetches Wagtail's release server from the browser:
    # its URL is in the script, not the page, so the page must not start it.
    client.force_login(factories.UserFactory(username="root", is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "w-upgrade" not in html
