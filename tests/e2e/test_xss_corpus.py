"""The XSS corpus in a real browser: the demo's first activity, news page and community hold the
corpus (`tests/portal/xss_corpus.py`) in their text fields; opened in Chromium, no payload
runs (no dialog, no call of `xss()`) and none is even tried (no Content-Security-Policy
violation: an injected inline script or handler would be one)."""

import pytest

from news.models import NewsPage
from tests.portal import xss_corpus as corpus
from volunteering.activities.models import ActivityPage

pytestmark = pytest.mark.e2e

# Records calls of xss() and every CSP violation, in every page before its scripts run.
RECORD = """
window.__xss = [];
window.xss = (n) => window.__xss.push(n);
document.addEventListener("securitypolicyviolation", (event) => {
  window.__xss.push(`csp: ${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


def _write_corpus(page) -> None:
    model = type(page)
    values = {"title": corpus.text_for(255)}
    for name in ("summary", "place", "lead", "intro"):
        if any(f.name == name for f in model._meta.concrete_fields):
            values[name] = corpus.text_for(model._meta.get_field(name).max_length, start=1)
    model.objects.filter(pk=page.pk).update(**values)


def test_no_payload_runs_in_a_browser(browser, demo_site):
    pages = [
        ActivityPage.objects.live().order_by("pk").first(),
        NewsPage.objects.live().order_by("pk").first(),
    ]
    pages.append(pages[0].community)
    for page in pages:
        _write_corpus(page)
    context = browser.new_context(base_url=demo_site.url, locale="zh-CN")
    context.add_init_script(RECORD)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for page in pages:
            tab.goto(page.url)
            assert "xss(" in tab.content(), page.url  # the corpus is there, as text
            assert tab.evaluate("window.__xss") == [], page.url
        assert dialogs == []
    finally:
        context.close()
