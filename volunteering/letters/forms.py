"""The letter form of the admin: a user picks only the senders and groups they may address,
and the server checks the choice again (`selectors.sender_error`, `selectors.audience_error`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from volunteering.letters.models import Letter
from volunteering.letters.selectors import (
    AUDIENCE_TARGETS,
    SENDER_AUDIENCES,
    audience_error,
    choices_for,
    sender_error,
)

Sender = Letter.Sender
SENDER_FIELDS = {Sender.ORGANISATION: "organisation", Sender.COMMUNITY: "community"}
TARGET_FIELDS = [field for field, _label in AUDIENCE_TARGETS.values()]


class LetterForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        choices = choices_for(for_user)
        allowed_audiences = set().union(*(SENDER_AUDIENCES[s] for s in choices.senders))
        self._limit("sender", choices.senders)
        self._limit("audience", allowed_audiences)
        querysets = {
            "organisation": choices.organisations,
            "community": choices.communities,
            "audience_organisation": choices.organisations,
            "audience_community": choices.communities,
            "audience_team": choices.teams,
            "audience_activity": choices.activities,
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset

    def _limit(self, name, allowed) -> None:
        field = self.fields.get(name)
        if field is not None:
            field.choices = [(v, label) for v, label in field.choices if v in allowed]

    def clean(self):
        cleaned = super().clean()
        letter = self.instance
        sender, audience = cleaned.get("sender"), cleaned.get("audience")
        # What the chosen sender and audience do not use is cleared, never kept half-set.
        for kind, name in SENDER_FIELDS.items():
            if sender != kind:
                cleaned[name] = None
        keep = AUDIENCE_TARGETS.get(audience, (None,))[0]
        for name in TARGET_FIELDS:
            if name != keep:
                cleaned[name] = None
        for name in (*SENDER_FIELDS.values(), *TARGET_FIELDS, "sender", "audience"):
            setattr(letter, name, cleaned.get(name))
        if sender and (problem := sender_error(self.for_user, letter)):
            self.add_error("sender", problem)
        elif audience and (problem := audience_error(letter)):
            self.add_error(keep or "audience", problem)
        return cleaned

    def save(self, commit=True):
        if self.instance.author_id is None and self.for_user is not None:
            self.instance.author = self.for_user
        return super().save(commit=commit)


class ConfirmSendForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我已核对收信人数和发送方式，确认发送"),
        error_messages={"required": _("请勾选确认后再发送。")},
    )
