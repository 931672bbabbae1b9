"""Text messages (短信), pluggable the way Django's email backends are.

`SMS_BACKEND` names the class that sends them (a dotted path); `send_text(to, body)` sends one
through it. The project ships four:

- `portal.sms.ConsoleBackend`: writes each message to standard output (development);
- `portal.sms.FileBackend`: appends each message to the file `SMS_FILE_PATH` (a demo server
  whose operators read the codes from a file);
- `portal.sms.LocmemBackend`: keeps them in `portal.sms.outbox` (the tests);
- `portal.sms.DisabledBackend`: sends nothing and says so (`send_messages` returns 0).

A real provider (a cloud SMS service, an operator's gateway) is a class with the same
interface, in its own module, named by `SMS_BACKEND`::

    class ProviderBackend(portal.sms.BaseBackend):
        def send_messages(self, messages: Sequence[TextMessage]) -> int:
            # one API call per message (or a batch); return how many were accepted
            ...

`TextMessage.to` is always an international number ("+8613908741001"); `body` is the whole
text, signature included (`SMS_SIGNATURE`), at most a few hundred characters. A backend raises
on failure unless `fail_silently`; settings it needs (keys, the template id a provider requires)
are its own settings, read in `__init__`. docs/accounts.md has a worked example."""

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164: "+8613908741001"
    body: str


class BaseBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    stream = None

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        stream = self.stream or sys.stdout
        for message in messages:
            stream.write(f"[SMS] to {message.to}: {message.body}\n")
        stream.flush()
        return len(messages)


_file_lock = threading.Lock()


class FileBackend(BaseBackend):
    def __init__(self, fail_silently: bool = False, path: str | None = None, **kwargs):
        super().__init__(fail_silently, **kwargs)
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, self.path.open("a", encoding="utf-8") as file:
            for message in messages:
                file.write(f"{timezone.now().isoformat()}\t{message.to}\t{message.body}\n")
        return len(messages)


outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class DisabledBackend(BaseBackend):
    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        return 0


def get_backend(**kwargs) -> BaseBackend:
    return import_string(settings.SMS_BACKEND)(**kwargs)


def send_text(to: str, body: str, *, fail_silently: bool = False) -> int:
    """Send one text message (`to` in E.164); how many were accepted (0 or 1)."""
    signature = getattr(settings, "SMS_SIGNATURE", "")
    message = TextMessage(to=to, body=f"{signature}{body}" if signature else body)
    return get_backend(fail_silently=fail_silently).send_messages([message])
