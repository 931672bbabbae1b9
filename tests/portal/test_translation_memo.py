"""A string's translation is looked up once per process and language (portal.translation_memo):
the answers are Django's own, in both languages, and a repeated lookup does not walk the
catalogs again."""

from gettext import GNUTranslations

from django.utils import translation
from django.utils.translation import trans_real

from portal import translation_memo


def django_answer(language: str, message: str) -> str:
    return GNUTranslations.gettext(trans_real.translation(language), message)


def catalog_sample(language: str, size: int = 300) -> list[str]:
    keys = (key for key in trans_real.translation(language)._catalog.keys() if isinstance(key, str))
    return [key for key, _ in zip(keys, range(size), strict=False) if key]


def test_answers_are_djangos_in_both_languages():
    missing = ["没有这个词条的中文句子", "No such string anywhere", "Monospace (code)", "选择社区"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for message in catalog_sample(language) + missing:
                assert translation.gettext(message) == django_answer(language, message), message
    with translation.override("en"):
        assert translation.gettext("选择社区") == "Choose a community"
    with translation.override("zh-hans"):
        assert translation.gettext("选择社区") == "选择社区"
        assert translation.gettext("Monospace (code)") == "等宽字体（代码）"


def test_a_repeated_lookup_does_not_walk_the_catalogs(monkeypatch):
    walks = []

    def counting(self, message):
        walks.append(message)
        return "答案"

    with translation.override("zh-hans"):
        translation.gettext("一个只查一次的句子")  # any earlier lookup is kept: start clean
        trans_real.translation("zh-hans")._portal_memo.pop("一个只查一次的句子")
        monkeypatch.setattr(translation_memo.GNUTranslations, "gettext", counting)
        assert translation.gettext("一个只查一次的句子") == "答案"
        assert translation.gettext("一个只查一次的句子") == "答案"
    assert walks == ["一个只查一次的句子"]


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(translation_memo, "MEMO_LIMIT", 0)
    with translation.override("en"):
        memo = trans_real.translation("en").__dict__.setdefault("_portal_memo", {})
        before = len(memo)
        assert translation.gettext("另选社区") == "Choose another community"
        assert translation.gettext("用户数据里的任意文字 42") == "用户数据里的任意文字 42"
        assert len(memo) == before
