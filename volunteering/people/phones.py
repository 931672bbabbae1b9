"""Members' phone numbers, in one canonical form whatever way they were typed.

"13908741001", "139-0874-1001" and "+86 139 0874 1001" are one number: it is stored and shown
as "139 0874 1001" (China's national format, the way people here read a number), a number of
another country in international format ("+44 20 7946 0958"). The canonical form is what a
member types to sign in with their phone (`portal.accounts`), and what a text message is sent
to (`portal.sms` gets `phone_e164`). Parsing and validation are Google's libphonenumber rules
(`phonenumbers`), so a number that cannot exist in its region is refused with `PHONE_INVALID`.
"""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from volunteering import errors

REGION = "CN"  # numbers written without a country code are Chinese


def _parsed(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw.strip(), REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def phone_canonical(raw: str) -> str | None:
    """The canonical form of `raw`, or None if it is not a valid number."""
    number = _parsed(raw or "")
    if number is None:
        return None
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_normalise(raw: str) -> str:
    """The canonical form of `raw` ("" stays ""); a ValidationError if it is not a number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    canonical = phone_canonical(raw)
    if canonical is None:
        raise ValidationError(errors.PHONE_INVALID, code="invalid_phone")
    return canonical


def phone_e164(raw: str) -> str | None:
    """The number as a text-message gateway wants it ("+8613908741001"), or None."""
    number = _parsed(raw or "")
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    phone_normalise(value)


class PhoneNumberField(models.CharField):
    """A CharField whose `full_clean` stores the canonical form (and refuses what is not a
    number): every service that writes a member calls `full_clean`, so every way in (the
    profile, the admin, the import) stores one form."""

    default_validators = [validate_phone]

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value or ""
        return phone_canonical(value) or value.strip()

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


class PhoneFormField(forms.CharField):
    """A form field that answers `PHONE_INVALID` (or its own `invalid_message`) for what is not
    a number and cleans to the canonical form."""

    def __init__(self, *, invalid_message=None, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.invalid_message = invalid_message
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        try:
            return phone_normalise(super().clean(value))
        except ValidationError as error:
            # A value breaking several rules at once (too long and more) raises a list, no code.
            if self.invalid_message is None or getattr(error, "code", None) != "invalid_phone":
                raise
            raise ValidationError(self.invalid_message, code="invalid_phone") from error
