"""People and their reporting (报到): skills, organisations, members, reports."""

import factory
from django.utils import timezone

from tests.factories.base import StatefulFactory, UserFactory
from volunteering.people.models import Member, Organisation, Skill
from volunteering.reporting.models import Report


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Iterator(["法律咨询", "医疗保健", "文明引导", "维持秩序", "心理疏导"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"曲靖市第{n}机关")
    kind = Organisation.Kind.AGENCY


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    real_name = factory.Sequence(lambda n: f"党员{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    # In the one form phones are stored in (volunteering.people.phones).
    phone = factory.Sequence(lambda n: f"138 {n // 10000 % 10000:04d} {n % 10000:04d}")
    privacy_consent_at = factory.LazyFunction(timezone.now)


class ReportFactory(StatefulFactory):
    """A member's report (报到); pass `community=`."""

    class Meta:
        model = Report

    member = factory.SubFactory(MemberFactory)
    kind = Report.Kind.VOLUNTARY
    is_primary = True
