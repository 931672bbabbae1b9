"""Every date-and-time field refuses a year a change of time zone would carry off the calendar.

Django's `DateTimeField` accepts any year from 1 to 9999; the value is made aware in the
current time zone (Asia/Shanghai) and converted to UTC when it is stored or serialised. From
`0001-01-01 00:00` that conversion falls before year 1 and raises `OverflowError`: publishing a
page scheduled to go live then was a 500 (modelcluster serialising the revision;
tests/portal/test_page_actions_fuzz.py), and so would any other form's date and time be. Such a
year is the field's own "out of range" error instead. Installed from `PortalConfig.ready`."""

from django import forms
from django.utils.translation import gettext_lazy as _

OUT_OF_RANGE = _("日期超出可用范围。")
FIRST_YEAR, LAST_YEAR = 2, 9998  # a day's margin either side for any time zone

_to_python = forms.DateTimeField.to_python


def to_python(self, value):
    result = _to_python(self, value)
    if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise forms.ValidationError(OUT_OF_RANGE, code="invalid")
    return result


def install() -> None:
    forms.DateTimeField.to_python = to_python
