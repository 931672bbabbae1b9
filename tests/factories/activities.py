"""Activities (活动报名): themes, the listing page, activity pages and sign-ups."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.base import PageFactory, StatefulFactory
from tests.factories.people import MemberFactory
from volunteering.activities.models import ActivityIndexPage, ActivityPage, Theme
from volunteering.signups.models import SignUp


class ThemeFactory(factory.django.DjangoModelFactory):
    """A themed campaign (主题活动) grouping activities."""

    class Meta:
        model = Theme
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"党员为居民服务主题活动{n}")
    slogan = "党旗在社区飘扬"


class ActivityIndexPageFactory(PageFactory):
    """The city-wide activity listing; pass `parent=` the home page."""

    class Meta:
        model = ActivityIndexPage

    title = "活动报名"
    slug = "activities"


class ActivityPageFactory(PageFactory):
    class Meta:
        model = ActivityPage

    title = factory.Sequence(lambda n: f"志愿服务活动{n}")
    summary = "社区志愿服务"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "社区服务中心"
    capacity = 5
    needs_approval = False


class SignUpFactory(StatefulFactory):
    """A member's sign-up (报名) to an activity, queued now; pass `activity=`. An attended one
    is checked in at the activity's start with its hours."""

    class Meta:
        model = SignUp

    member = factory.SubFactory(MemberFactory)
    queued_at = factory.LazyFunction(timezone.now)
    checked_in_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == SignUp.State.ATTENDED),
        factory.SelfAttribute("activity.starts_at"),
        None,
    )
    hours = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state == SignUp.State.ATTENDED), Decimal("2.0"), None
    )
