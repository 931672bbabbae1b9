"""Every model choice field refuses an id no database column can hold, with its own "not a
valid choice" error: Wagtail's admin forms, Django's and the portal's alike.

SQLite raises `OverflowError` for a number beyond 64 bits, which Django's `ModelChoiceField`
and `ModelMultipleChoiceField` do not catch, so a typed or forged id such as 2**70 ended in a
500 (the members' fuzz test found it on the profile form; an address's `<int:…>` id is refused
by `portal.input_guard`). Only integer keys are checked: a field chosen by a text column keeps
any value. Installed from `PortalConfig.ready`; remove if Django catches it itself.

Wagtail's chooser widgets (the page chooser of the city's community filter, of review scopes
and settings) look the chosen id up again to show it when a refused form is shown back, and
catch only `DoesNotExist`: an id such as `abc`, `1e400` or 2**70 was a 500 (`ValueError`,
`OverflowError`) where the form already said "not a valid choice"
(tests/portal/test_admin_fuzz.py). Such an id shows as nothing chosen."""

from django import forms
from django.db import models
from wagtail.admin.widgets.chooser import BaseChooser

from portal.input_guard import LARGEST_ID

_to_python = forms.ModelChoiceField.to_python
_check_values = forms.ModelMultipleChoiceField._check_values
_get_instance = BaseChooser.get_instance


def _has_integer_key(field: forms.ModelChoiceField) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(getattr(key, "target_field", key), models.IntegerField)


def _refuse_out_of_range(field: forms.ModelChoiceField, value, code: str) -> None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return  # not a number: Django's own check refuses it
    if not LARGEST_ID >= number >= -LARGEST_ID - 1 and _has_integer_key(field):
        raise forms.ValidationError(
            field.error_messages[code], code=code, params={"value": value, "pk": value}
        )


def to_python(self, value):
    if value not in self.empty_values:
        _refuse_out_of_range(self, value, "invalid_choice")
    return _to_python(self, value)


def check_values(self, value):
    for pk in value if isinstance(value, list | tuple) else ():
        _refuse_out_of_range(self, pk, "invalid_pk_value")
    return _check_values(self, value)


def get_instance(self, value):
    """The chooser's object for `value`, or None for an id no row can have."""
    if value is None or isinstance(value, self.model_class):
        return _get_instance(self, value)
    key = self.model_class._meta.pk
    key = getattr(key, "target_field", key)  # a page type's key is its link to Page's
    try:
        key.to_python(value)
        if isinstance(key, models.IntegerField):
            number = int(str(value).strip())
            if not LARGEST_ID >= number >= -LARGEST_ID - 1:
                return None
    except (ValueError, TypeError, forms.ValidationError):
        return None
    return _get_instance(self, value)


def install() -> None:
    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = check_values
    BaseChooser.get_instance = get_instance
