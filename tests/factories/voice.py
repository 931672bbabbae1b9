"""Residents' voice (听取群众意见建议): residents' items and good deeds."""

import factory

from tests.factories.base import StatefulFactory
from tests.factories.people import MemberFactory
from volunteering.voice.models import Feedback, GoodDeed, new_receipt_code


class FeedbackFactory(StatefulFactory):
    """A resident's item already in some state (`state=`, `outcome=`…); pass `community=`. An
    assigned item without `assigned_team=` goes to a new member; a closed one without
    `outcome=` was answered."""

    class Meta:
        model = Feedback

    kind = "suggestion"
    text = factory.Sequence(lambda n: f"建议小区增设休息座椅{n}")
    code = factory.LazyFunction(new_receipt_code)
    state = "submitted"
    assigned_team = None
    assigned_member = factory.Maybe(
        factory.LazyAttribute(
            lambda o: o.state == Feedback.State.ASSIGNED and o.assigned_team is None
        ),
        factory.SubFactory(MemberFactory),
        None,
    )
    outcome = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == Feedback.State.CLOSED),
        Feedback.Outcome.ANSWERED,
        "",
    )


class GoodDeedFactory(factory.django.DjangoModelFactory):
    """A good deed (办好事实事) of a community; pass `community=`."""

    class Meta:
        model = GoodDeed

    title = factory.Sequence(lambda n: f"为独居老人修缮房屋{n}")
