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
    assert list(since.first(after=joined - datetime.timedelta(hours=1))) == ["ann", joined]
    assert since.first(after=joined) is None


@pytest.mark.django_db
def test_a_stand_in_not_among_the_parameters_is_refused():
    wrong = Prepared(lambda pk: User.objects.filter(pk=1), pk=STAND_IN)
    with pytest.raises(ValueError, match="pk"):
        wrong.rows(pk=1)


@pytest.mark.django_db
def test_rows_carry_the_querysets_annotations():
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    ann = User.objects.create(username="ann", first_name="Ann")
    named = Prepared(
        lambda pk: User.objects.annotate(label=Concat(F("username"), Value("!"))).filter(pk=pk),
        pk=STAND_IN,
    )

    [row] = named.rows(pk=ann.pk)
    assert (row.pk, row.first_name, row.label) == (ann.pk, "Ann", "ann!")
    assert not row._state.adding and row._state.db == "default"


@pytest.mark.django_db
def test_on_postgresql_the_server_prepares_the_statement_once(settings):
    """Unless turned off (a pooler that does not keep prepared statements)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    ann = User.objects.create(username="ann")
    by_pk = Prepared(lambda pk: User.objects.filter(pk=pk), pk=STAND_IN)
    for _run in range(3):
        with CaptureQueriesContext(connection) as captured:
            assert [u.username for u in by_pk.rows(pk=ann.pk)] == ["ann"]
        # Counted and logged like any query, prepared or not.
        assert len(captured) == 1 and 'FROM "auth_user"' in captured[0]["sql"]
    assert _prepared_on_the_server(by_pk) == 1

    settings.PREPARED_STATEMENTS = False
    by_name = Prepared(lambda name: User.objects.filter(username=name), name="stand-in name")
    assert [u.pk for u in by_name.rows(name="ann")] == [ann.pk]
    assert _prepared_on_the_server(by_name) == 0


def _prepared_on_the_server(prepared) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
            [prepared.compiled["default"][0].replace("%s", "$1")],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_insert_compiled_once_writes_what_the_orm_writes(django_assert_num_queries):
    """`PreparedInsert` (the sign-ups, the history rows) and `save_new` (the audit entries): the
    row, its returned id, auto_now_add values and the save's signals as with the ORM's own."""
    from django.db.models.signals import post_save
    from wagtail.models import ModelLogEntry

    from portal import prepared

    saved = []

    def note(sender, instance, created, **kwargs):
        saved.append((instance.pk, created))

    post_save.connect(note, sender=ModelLogEntry)
    try:
        entries = []
        for n in range(2):  # the second from the compiled statement
            entry = _log_entry(f"entry {n}")
            with django_assert_num_queries(1):
                prepared.save_new(entry)
            entries.append(entry)
    finally:
        post_save.disconnect(note, sender=ModelLogEntry)
    assert any(key[0] is ModelLogEntry for key in prepared._INSERTS)
    stored = ModelLogEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    assert [(e.label, e.data, e.timestamp) for e in stored] == [
        (e.label, e.data, e.timestamp) for e in entries
    ]
    assert saved == [(e.pk, True) for e in entries]
    assert "_do_insert" not in entries[0].__dict__


@pytest.mark.django_db
def test_an_insert_with_an_expression_goes_through_the_orm():
    from django.db.models.functions import Now
    from wagtail.models import ModelLogEntry

    from portal import prepared

    entry = _log_entry("with an expression")
    entry.timestamp = Now()
    prepared.save_new(entry)
    entry = ModelLogEntry.objects.get(pk=entry.pk)
    assert abs(entry.timestamp - timezone.now()) < datetime.timedelta(minutes=1)


def _log_entry(label):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    return ModelLogEntry(
        content_type=ContentType.objects.get_for_model(User),
        label=label,
        action="test.action",
        timestamp=timezone.now(),
        data={"n": label, "中文": "数据"},
        object_id="1",
    )
