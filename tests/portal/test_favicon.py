"""The portal's icon in browser tabs and on phones' home screens: linked from the public pages,
the printable and screen views, the admin and its sign-in page, and served from static."""

import pytest
from bs4 import BeautifulSoup

from tests import factories

ICONS = {
    "/static/portal/icons/favicon.svg",
    "/static/portal/icons/favicon-32.png",
    "/static/portal/icons/apple-touch-icon.png",
}


def icons(html: str) -> set[str]:
    links = BeautifulSoup(html, "html.parser").select(
        "link[rel~=icon], link[rel~=apple-touch-icon]"
    )
    return {link["href"] for link in links}


@pytest.mark.parametrize("url", ["/", "/communities/qilin/qilin-community/", "/screen/"])
def test_public_pages_link_the_portals_icon(site_tree, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert icons(response.content.decode()) == ICONS


def test_the_admin_and_its_sign_in_link_the_portals_icon_not_wagtails(site_tree, client):
    assert icons(client.get("/admin/login/").content.decode()) == ICONS
    client.force_login(factories.UserFactory(username="root", is_superuser=True))
    assert icons(client.get("/admin/").content.decode()) == ICONS


@pytest.mark.parametrize("path", sorted(ICONS))
def test_the_icons_are_served(client, path, db):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/svg+xml", "image/png")
