"""Translated strings looked up once per process and language.

Django's lookup of a string walks every catalog it merged (`TranslationCatalog` keeps one per
distinct plural rule it was given: 20 for Simplified Chinese here) and then the fallback chain
(Python's gettext chains Wagtail's older `zh` catalogs behind each `zh_Hans` one: 11 more). The
portal's source strings are Chinese and are not in the Chinese catalogs, so each of the ~1,200
lookups of an admin list walked all 31 of them: about 30 µs each, a fifth of the list's CPU.

A catalog does not change once a process has loaded it (Django builds a new translation object
when a setting changes), so the answer for a string is kept on the translation object after its
first lookup. `ngettext` is left alone (its answer depends on the number). Installed from
`PortalConfig.ready`."""

from gettext import GNUTranslations

from django.utils.translation.trans_real import DjangoTranslation

# Strings are keys: the catalogs hold ~7,000; a bound in case code translates data it was given.
MEMO_LIMIT = 20_000


def _gettext(self, message: str) -> str:
    memo = self.__dict__.get("_portal_memo")
    if memo is None:
        memo = self._portal_memo = {}
    found = memo.get(message)
    if found is None:
        found = GNUTranslations.gettext(self, message)
        if len(memo) < MEMO_LIMIT:
            memo[message] = found
    return found


def install() -> None:
    DjangoTranslation.gettext = _gettext
