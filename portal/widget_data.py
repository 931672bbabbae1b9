"""A form field whose posted data its widget cannot read is a 400, not a 500.

Some widgets parse what the browser's script wrote for them: a StreamField's blocks arrive as
numbered fields with their counts (`body-count`, `body-0-type`…), read with
`int(data["body-count"])`; a rich text field arrives as Draftail's JSON, read with
`json.loads(…).get("blocks")`. A post without those fields, or with `1e400` where the JSON
belongs, raised `KeyError`, `ValueError`, `TypeError` or `AttributeError` from the widget, in
the middle of the form's validation: a 500 on every page and snippet editor
(tests/portal/test_admin_fuzz.py). The editors never send such data; whoever does is answered
with the 400 page ("提交的内容不完整或格式不对"), nothing saved.

Installed from `PortalConfig.ready` on Django's `BaseForm._widget_data_value`, the one place
every bound field's data is read from its widget."""

import logging

from django.core.exceptions import BadRequest
from django.forms.forms import BaseForm

logger = logging.getLogger(__name__)

_widget_data_value = BaseForm._widget_data_value
UNREADABLE = (KeyError, ValueError, TypeError, AttributeError)


def widget_data_value(self, widget, html_name):
    try:
        return _widget_data_value(self, widget, html_name)
    except UNREADABLE as error:
        # Logged with its traceback: a real bug in a widget would otherwise pass for bad input.
        logger.warning("Unreadable posted data for %s", html_name, exc_info=True)
        raise BadRequest(f"unreadable data for {html_name}") from error


def install() -> None:
    BaseForm._widget_data_value = widget_data_value
