"""The English catalog is complete and its placeholders match the Chinese source strings; the
Chinese catalog of Wagtail's English admin strings (locale/zh_Hans) is complete, its
placeholders match, and each of its msgids is one Wagtail or Django really uses."""

import glob
import json
import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
ADMIN_ZH_CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalog(path=CATALOG):
    with path.open("rb") as f:
        return read_po(f)


def test_every_string_has_an_english_translation():
    untranslated = [
        m.id
        for m in _catalog()
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


def test_no_translation_is_fuzzy_or_breaks_a_placeholder():
    catalog = _catalog()
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []


def test_compiled_catalog_is_used():
    with translation.override("en"):
        assert translation.gettext("跳到正文") == "Skip to content"
    with translation.override("zh-hans"):
        assert translation.gettext("跳到正文") == "跳到正文"


# --- locale/zh_Hans: Wagtail's (and Django's) English admin strings in Chinese ---------------


def _english_source_msgids() -> set:
    """Every msgid (with its context) of Wagtail's and Django's English catalogs."""
    import django
    import wagtail

    paths = glob.glob(
        f"{Path(wagtail.__file__).parent}/**/locale/en/LC_MESSAGES/django.po", recursive=True
    )
    paths += glob.glob(
        f"{Path(django.__file__).parent}/**/locale/en/LC_MESSAGES/django.po", recursive=True
    )
    ids = set()
    for path in paths:
        for message in _catalog(Path(path)):
            ids.add((message.context, message.id))
    return ids


def test_every_admin_string_has_a_chinese_translation():
    catalog = _catalog(ADMIN_ZH_CATALOG)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []
    # One form for every number (Chinese has no plural), as the header says.
    assert catalog.num_plurals == 1


def test_every_admin_msgid_is_one_wagtail_or_django_uses():
    # A msgid that differs from the source by one character is never looked up: the English
    # stays on the page while this catalog looks complete.
    sources = _english_source_msgids()
    unknown = [
        m.id for m in _catalog(ADMIN_ZH_CATALOG) if m.id and (m.context, m.id) not in sources
    ]
    assert unknown == []


def test_the_projects_admin_translations_win_over_wagtails():
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索全部页面…"
        # Wagtail's own zh_Hans catalog says "登录Wagtail".
        assert translation.gettext("Sign in to Wagtail") == "登录管理后台"
        pages = translation.ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
            8,
        )
        assert pages.startswith("%(total)s 个页面")  # the dashboard said "8 Pages"
    with translation.override("en"):
        assert translation.gettext("Search all pages…") == "Search all pages…"


ADMIN_ZH_JS_CATALOG = ADMIN_ZH_CATALOG.with_name("djangojs.po")


def test_the_admin_scripts_chinese_catalog_is_complete_and_uses_wagtails_msgids():
    import wagtail

    catalog = _catalog(ADMIN_ZH_JS_CATALOG)
    assert [m.id for m in catalog if m.id and (not m.string or m.fuzzy)] == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []
    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    sources = {(m.context, m.id) for m in _catalog(source)}
    assert [m.id for m in catalog if m.id and (m.context, m.id) not in sources] == []


def test_the_admin_scripts_get_the_projects_translations(client):
    # Wagtail's JavaScript catalog (the admin's scripts: autosave, the block editor) merges
    # the project's djangojs catalog; Django writes it as JSON, non-ASCII escaped.
    text = client.get("/admin/jsi18n/").content.decode()
    match = re.search(r'"Autosave in progress\\u2026": (".*?")', text)
    assert match, "Wagtail's catalog has no autosave string"
    assert json.loads(match.group(1)) == "正在自动保存…"
