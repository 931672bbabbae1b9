"""Readable slugs from titles (portal/slugs.py); through the admin in test_page_editing.py."""

import pytest

from portal.slugs import readable_slug


@pytest.mark.parametrize(
    "title, slug",
    [
        ("社区开展义诊", "she-qu-kai-zhan-yi-zhen"),
        ("2024年第3季度 报到情况", "2024-nian-di-3-ji-du-bao-dao-qing-kuang"),
        ("麒麟区“我为群众办实事”活动", "qi-lin-qu-wo-wei-qun-zhong-ban-shi-shi-huo-dong"),
        ("AI培训：Café 开课", "ai-pei-xun-cafe-kai-ke"),
        ("🎉！", "page"),  # nothing to spell: a plain word, made unique among siblings
    ],
)
def test_titles_become_pinyin_words(title, slug):
    assert readable_slug(title) == slug


def test_a_long_title_is_cut_between_words_at_60_characters():
    slug = readable_slug("在职党员进社区" * 10)
    assert len(slug) <= 60 and not slug.endswith("-")
    assert (
        slug.split("-")
        == (["zai", "zhi", "dang", "yuan", "jin", "she", "qu"] * 3)[: slug.count("-") + 1]
    )
