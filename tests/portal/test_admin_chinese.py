"""The admin in Chinese: the English that Wagtail showed a zh-hans user (issue 10: "8 Pages",
"Search all pages…", "Exploring:", "Page types usage", "Password", "登录Wagtail", "Saved",
"Autosave is paused", "New: 服务需求", "This data explained", the sort tooltips…) is gone from
the main admin views, for community staff and for a superuser.

How to extend: load the admin as a zh-hans user, find English a member of staff would read,
translate its Wagtail msgid in locale/zh_Hans/LC_MESSAGES/django.po (or, where Wagtail writes the
English into a template, override the template under templates/wagtailadmin/), and add the
English as it appeared to UNTRANSLATED below. Each entry is matched as whole words, case
included, in the text a reader sees or hears (tags, scripts and styles stripped; titles,
placeholders, aria-labels and tooltips kept). Product names and codes (Wagtail, URL, XLSX) and
the users' own data (group names, usernames) are not on the list."""

import re

import pytest

from tests import factories
from tests.portal import page_walk
from tests.volunteering.admin.support import build_world

UNTRANSLATED = [
    # dashboard, sidebar, sign-in
    "Pages created in",  # "8 Pages created in …"
    "Images created in",
    "Documents created in",
    "Search all pages",
    "Search",  # the dashboard search's button
    "Edit account avatar",
    "Sign in to",
    "登录Wagtail",
    "- Wagtail",  # the tab title's suffix
    "Password",
    # the page explorer and the listings
    "Exploring",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Page type",
    "child pages",
    "matching pages",
    "Sort by",
    "in ascending order",
    "in descending order",
    "The root level is where",
    "Go to the first error",
    "New:",  # "New: 服务需求"
    "Show disabled",
    "Grid layout",
    "List layout",
    "Usage count",
    "Actions",
    "True",  # a yes/no column's text
    "False",
    # editing: the status panel, autosave, the checks panel
    "Anyone",
    "Locking",
    "lock it to prevent others from editing",
    "Referenced",
    "Saved",
    "Autosave",
    "Correct the validation errors",
    "Toggle checks",
    "Content metrics",
    "Reading time",
    "Readability",
    "This data explained",
    "To be created by",
    # reports
    "Page types usage",
    "Is commenting action",
    "By task",
    "By workflow",
    "Locked by",
    "Privacy and access",  # the dashboard's review panels (a screen reader's column heading)
    # the keyboard shortcuts dialog on every admin page
    "Toggle minimap",
    "Close modal dialogs",
    "Paste without formatting",
    "Insert or edit a link",
    # the account page
    "Use server language",
    "Theme preferences",
    "Admin theme",
    "Contrast",
    "More contrast",
    "Density",
    "Snug",
    "keyboard shortcuts",
    "Africa/Abidjan",  # the time zones, when every one of the world's was offered
    "Deutsch",  # the languages, when forty were offered
]


def english_left(text: str) -> list[str]:
    return [
        phrase
        for phrase in UNTRANSLATED
        if re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text)
    ]


@pytest.fixture
def world(site_tree):
    world = build_world(site_tree)
    page_walk.build_one_of_each_page_type(world, site_tree)
    return world


def test_the_check_finds_english_as_whole_words():
    assert english_left("8 Pages created in 平台 · Sort by '标题' in ascending order.") == [
        "Pages created in",
        "Sort by",
        "in ascending order",
    ]
    assert english_left("已保存 · Saved · Searchable · 搜索") == ["Saved"]


def test_the_sign_in_page_is_chinese(client, db):
    text = page_walk.visible_text(client.get("/admin/login/").content.decode())
    assert english_left(text) == []
    assert "密码" in text
    assert "登录管理后台" in text


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_main_admin_views_show_a_zh_hans_user_no_english(world, client, role):
    user = (
        world.a.staff
        if role == "staff"
        else factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    found = {}
    visited = []
    for url, html in page_walk.admin_views(client, user):
        visited.append(url)
        if left := english_left(page_walk.visible_text(html)):
            found[url] = left
    assert found == {}
    # The walk reached the views the list was made from.
    for expected in ("/admin/", "/admin/pages/", "/admin/account/"):
        assert expected in visited
    assert any(url.endswith("/edit/") and "/pages/" in url for url in visited), visited
    assert any(url.endswith(("/add/", "/new/")) for url in visited), visited
