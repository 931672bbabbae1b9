"""Readable slugs for Chinese titles: pinyin, one word per character, at most 60 characters,
unique among the page's siblings.

A Chinese slug becomes ~250 characters of percent-encoding in a link ("%E7%A4%BE…"). New
pages get "she-qu-kai-zhan-yi-zhen" instead, from the transliteration of `anyascii`, which
Wagtail already depends on: no new dependency, at the price of the occasional wrong reading
of a character with two (重庆 → zhong-qing). A slug an editor types in ASCII is kept; pages
once published keep theirs, so no published address changes."""

import re

from anyascii import anyascii
from wagtail.models import Page

MAX_SLUG_LENGTH = 60
FALLBACK_SLUG = "page"
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _is_han(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff"
        or "\u3400" <= char <= "\u4dbf"
        or ("\uf900" <= char <= "\ufaff")
    )


def slug_words(title: str) -> list[str]:
    """The title's words for a slug: each Chinese character its pinyin syllable, runs of
    letters and digits (transliterated) one word each, everything else a separator."""
    words: list[str] = []
    run = ""
    for char in title:
        if _is_han(char):
            if run:
                words.append(run)
                run = ""
            syllable = _NOT_ALNUM.sub("", anyascii(char).lower())
            if syllable:
                words.append(syllable)
            continue
        latin = _NOT_ALNUM.sub("", anyascii(char).lower())
        if latin and char.isalnum():
            run += latin
        elif run:
            words.append(run)
            run = ""
    if run:
        words.append(run)
    return words


def readable_slug(title: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`title` as a slug of at most `max_length` characters, cut between words."""
    slug = ""
    for word in slug_words(title):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    return slug or FALLBACK_SLUG


def needs_readable_slug(slug: str, page: Page) -> bool:
    """A slug left empty or in Chinese (Wagtail fills it from the title as one types) on a page
    never published. Published pages keep the address they have."""
    published = page.pk is not None and (page.live or page.first_published_at is not None)
    return not published and (not slug or not slug.isascii())


def unique_sibling_slug(base: str, *, parent: Page | None, page: Page | None = None) -> str:
    """`base`, or `base-2`, `base-3`… : the first no sibling of `page` under `parent` has."""
    if parent is None:
        return base
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    prefix = base[: MAX_SLUG_LENGTH - 6]  # room for "-99999"
    taken = set(siblings.filter(slug__startswith=prefix).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = _cut_between_words(base, MAX_SLUG_LENGTH - len(suffix)) + suffix
    return slug


def _cut_between_words(slug: str, length: int) -> str:
    if len(slug) <= length:
        return slug
    cut = slug[:length]
    if slug[length] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.rstrip("-")
