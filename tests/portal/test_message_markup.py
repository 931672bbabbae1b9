"""Messages and refusals are read out from a live region around their list: the role sits on a
wrapper, never on the <ul> (a role there takes the list's semantics away, and axe-core finds
its <li> outside any list: `listitem`, serious)."""

import re

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string


def test_the_messages_list_keeps_its_list_semantics_inside_a_status_region():
    html = render_to_string(
        "volunteering/includes/messages.html",
        {"messages": [Message(constants.SUCCESS, "已报名")]},
    )
    assert re.search(r'<div role="status">\s*<ul class="messages">', html)
    assert '<li class="message message--success">已报名</li>' in html


def test_no_template_puts_a_live_region_role_on_a_list():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r'<ul[^>]*\brole="(status|alert)"', path.read_text())
    ]
    assert offenders == []
