"""The pages' extension points (portal.sections): what the functions registered for a hook
return, in which order, and how a page renders it."""

import pytest
from django.template import Context, Engine
from wagtail import hooks

from portal.sections import Section, collect_sections

HOOK = "test_page_sections"


def test_sections_come_in_their_order_whatever_the_hooks_return():
    def one(page, request):
        return Section("b.html", order=20)

    def several(page, request):
        return [Section("c.html", order=30), Section("a.html", order=10)]

    def nothing(page, request):
        return None

    with hooks.register_temporarily([(HOOK, one), (HOOK, several), (HOOK, nothing)]):
        sections = collect_sections(HOOK, "page", "request")
    assert [s.template_name for s in sections] == ["a.html", "b.html", "c.html"]


def test_a_function_registered_twice_answers_once():
    def answer(page, request):
        return Section("a.html")

    with hooks.register_temporarily([(HOOK, answer), (HOOK, answer)]):
        assert len(collect_sections(HOOK, "page", "request")) == 1


def test_a_hook_that_returns_something_else_fails_loudly():
    with hooks.register_temporarily(HOOK, lambda page, request: ["a.html"]):
        with pytest.raises(TypeError):
            collect_sections(HOOK, "page", "request")


def test_no_hook_no_section():
    assert collect_sections(HOOK, "page", "request") == []


def test_a_section_renders_in_the_page_context_with_its_own_on_top(tmp_path):
    (tmp_path / "notice.html").write_text("<p>{{ page }}: {{ notice }}</p>")
    engine = Engine(dirs=[tmp_path], libraries={"portal_tags": "portal.templatetags.portal_tags"})
    page = engine.from_string("{% load portal_tags %}{% render_section section %}{{ notice }}")
    section = Section("notice.html", {"notice": "<招募>"})
    html = page.render(Context({"section": section, "page": "麒麟社区", "notice": "|外层"}))
    assert html == "<p>麒麟社区: &lt;招募&gt;</p>|外层"  # escaped once; its context popped after
