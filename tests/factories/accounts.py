"""Members' accounts: the logs of password resets by email and of codes to the phone."""

import datetime

import factory
from django.utils import timezone

from portal.models import LoginFailure
from tests.factories.base import UserFactory
from volunteering.accounts.models import OneTimeCode, PasswordResetEmail


class PasswordResetEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PasswordResetEmail

    user = factory.SubFactory(UserFactory)
    sent_to = factory.LazyAttribute(lambda o: o.user.email)


class OneTimeCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OneTimeCode

    user = factory.SubFactory(UserFactory)
    phone = "13908741001"
    code_digest = "0" * 64
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=10))


class LoginFailureFactory(factory.django.DjangoModelFactory):
    """A failed sign-in counted by the login limits (`portal.login_limits`)."""

    class Meta:
        model = LoginFailure

    username = factory.Sequence(lambda n: f"guess{n}")
    address = "203.0.113.50"
    way = LoginFailure.Way.SITE
