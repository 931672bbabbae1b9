"""Year-end assessment (考核评定)."""

import factory
from django.utils import timezone

from tests.factories.base import StatefulFactory
from tests.factories.people import MemberFactory
from volunteering.assessment.models import Assessment


class AssessmentFactory(StatefulFactory):
    """A community's assessment of a member for this year, graded 称职; pass `community=`."""

    class Meta:
        model = Assessment

    member = factory.SubFactory(MemberFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    grade = Assessment.Grade.COMPETENT
