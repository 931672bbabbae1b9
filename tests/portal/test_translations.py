"""The English catalog is complete and its placeholders match the Chinese source strings."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _catalog():
    with CATALOG.open("rb") as f:
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
