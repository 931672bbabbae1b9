"""Letters and notices (信/通知)."""

import factory
from django.test import TestCase

from volunteering.letters import services
from volunteering.letters.models import Letter


class LetterFactory(factory.django.DjangoModelFactory):
    """A community's notice to those reported to it, published (live) and not sent yet; pass
    `community=` and `audience_community=`, or `sender=`/`audience=` and their targets. A
    city letter made here is a draft (`live=False`): it goes through the workflow."""

    class Meta:
        model = Letter

    title = factory.Sequence(lambda n: f"致在职党员的一封信{n}")
    body = "<p>同志们：请积极参加社区志愿服务。</p><p>此致敬礼！</p>"
    sender = Letter.Sender.COMMUNITY
    audience = Letter.Audience.COMMUNITY
    live = factory.LazyAttribute(lambda o: o.sender != Letter.Sender.CITY)


def send_letter(*, letter: Letter, by) -> int:
    """Send as the admin's 发送 does, and run what waits for the commit (the fan-out task, at
    once with the tests' immediate backend): the test's transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.letter_send(letter=letter, by=by)
