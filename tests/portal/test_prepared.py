"""Statements compiled once (`portal.prepared`): run again with other values, they answer what
the ORM's queryset answers, with the ORM's conversions; a stand-in missing from the parameters
is refused rather than silently ignored."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.prepared import Prepared

User = get_user_model()
STAND_IN = 2_000_000_017
WHEN = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_prepared_statement_answers_like_the_queryset_for_each_value():
    ann, bob = User.objects.create(username="ann"), User.objects.create(username="bob")
    by_pk = Prepared(lambda pk: User.objects.filter(pk=pk), pk=STAND_IN)

    assert [u.username for u in by_pk.rows(pk=ann.pk)] == ["ann"]
    assert [u.username for u in by_pk.rows(pk=bob.pk)] == ["bob"]
    assert by_pk.rows(pk=bob.pk + 1000) == []


@pytest.mark.django_db
def test_one_converts_values_as_the_orm_does():
    joined = timezone.now() - datetime.timedelta(days=1)
    User.objects.create(username="ann", date_joined=joined)
    since = Prepared(
        lambda after: User.objects.filter(date_joined__gt=after).values("username", "date_joined"),
        after=WHEN,
    )

    row = since.one(after=joined - datetime.timedelta(hours=1))
    assert row == {"username": "ann", "date_joined": joined}
    assert since.one(after=joined) is None


@pytest.mark.django_db
def test_a_stand_in_not_among_the_parameters_is_refused():
    wrong = Prepared(lambda pk: User.objects.filter(pk=1), pk=STAND_IN)
    with pytest.raises(ValueError, match="pk"):
        wrong.rows(pk=1)
