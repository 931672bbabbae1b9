"""Text messages go through the backend `SMS_BACKEND` names, like Django's email backends."""

import io

from portal import sms


class RecordingBackend(sms.BaseBackend):
    """What a real provider's backend looks like to the portal."""

    sent: list = []

    def send_messages(self, messages):
        RecordingBackend.sent.extend(messages)
        return len(messages)


def test_the_test_settings_keep_messages_in_the_outbox_with_the_signature(settings):
    settings.SMS_SIGNATURE = "【测试】"
    assert sms.send_text("+8613908741001", "您好") == 1
    assert sms.outbox == [sms.TextMessage(to="+8613908741001", body="【测试】您好")]


def test_a_provider_backend_is_plugged_in_by_the_setting(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.sent = []
    sms.send_text("+8613908741001", "验证码 123456")
    assert [m.to for m in RecordingBackend.sent] == ["+8613908741001"]
    assert sms.outbox == []


def test_the_console_backend_prints(settings):
    backend = sms.ConsoleBackend()
    backend.stream = io.StringIO()
    backend.send_messages([sms.TextMessage("+8613908741001", "您好")])
    assert "+8613908741001" in backend.stream.getvalue()


def test_the_file_backend_appends_to_its_file(tmp_path, settings):
    settings.SMS_BACKEND = "portal.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    sms.send_text("+8613908741001", "一")
    sms.send_text("+8613908741002", "二")
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].endswith("+8613908741002\t【在职党员进社区】二")


def test_the_disabled_backend_sends_nothing(settings):
    settings.SMS_BACKEND = "portal.sms.DisabledBackend"
    assert sms.send_text("+8613908741001", "您好") == 0
    assert sms.outbox == []
