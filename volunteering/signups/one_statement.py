"""A new sign-up on PostgreSQL in one statement (issue 11, point 5): the places counted, the
member's own sign-up looked for, and the sign-up, its history row and its audit entry inserted,
in one data-modifying `WITH` statement run under the activity's row lock.

Every sign-up to an activity waits for that lock, held to the commit: with the ORM's path a
sign-up held it for six round trips to the database (the lock, the count, three `INSERT`s, the
commit) and the Python between them (three model saves, their signals, simple-history's row,
the audit entry), and a crowd on one activity queued behind each other's Python. Here the
Python comes first, outside the lock: the workflow's checks, the validation, the history row
and the audit entry are built for both states a new sign-up can take (a place, or the
waitlist), through the same state machine (`StateMachine.prepare_start`), and the statement
picks one by the places it counts. Under the lock: the lock, this statement, the commit.

The statement runs after the locking one, never in it: in PostgreSQL's read committed mode a
statement sees the rows committed when it began, and a sign-up that waited for the lock began
before the sign-up it waited for committed; this one begins once the lock is held, so it counts
that sign-up. It inserts nothing when the member has a sign-up to the activity already (a
repeat, or one cancelled to revive): the service then takes the ORM's path, lock held.

`saved_by_statement` then sends the save's and the transition's signals (the page cache, the
points), as the ORM's save would. SQLite keeps the ORM's path (its writes queue one at a time).
tests/volunteering/signups/test_one_statement.py checks that both paths write the same rows."""

import functools
from dataclasses import dataclass

from django.db import connections, models
from django.db.models import Model
from django.utils import timezone

from portal.prepared import statement_cursor
from volunteering.signups.models import SignUp
from volunteering.signups.workflows import SIGNUP_WORKFLOW
from workflows.audit import transition_entry
from workflows.history import history_row
from workflows.statemachine import NEW, Transition


@dataclass
class Variant:
    """A new sign-up prepared in one state, with the rows its save would write."""

    signup: SignUp
    transition: Transition
    rows: tuple[Model, Model]  # its history row and its audit entry, unsaved


@dataclass
class Plan:
    """A new sign-up prepared for both states it can take: `room` (approved, or pending when
    the activity needs approval) while places are left, `waitlisted` when they are all held."""

    room: Variant
    waitlisted: Variant
    using: str


def applies(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def plan(*, activity, member, target: str, using: str) -> Plan:
    """Both variants of the sign-up of `member` to `activity` (read before the lock; the
    service checks that what decides them did not change under it). `target` is the state
    while places are left. Raises what `StateMachine.start` would raise."""

    def variant(state: str) -> Variant:
        # Its place in the queue is stamped under the lock (`take`); validated with a stand-in.
        signup = SignUp(activity=activity, member=member, queued_at=timezone.now())
        name = f"submit_{state}"
        transition = SIGNUP_WORKFLOW.prepare_start(signup, name, by=member.user, using=using)
        for field in _inserted_fields(SignUp):
            setattr(signup, field.attname, field.pre_save(signup, True))
        entry = transition_entry(signup, transition, NEW, member.user, "", SIGNUP_WORKFLOW)
        return Variant(signup, transition, (history_row(signup), entry))

    room, waitlisted = variant(target), variant(SignUp.State.WAITLISTED)
    _one_moment(room, waitlisted)
    return Plan(room, waitlisted, using)


def _one_moment(room: Variant, waitlisted: Variant) -> None:
    """The two variants were stamped a few microseconds apart (the state's change, the row's
    creation, the history row's and the audit entry's times): the one taken is stamped at the
    moment of the first, so that the statement carries these values once, not a choice of two."""
    pairs = zip((room.signup, *room.rows), (waitlisted.signup, *waitlisted.rows), strict=True)
    for first, second in pairs:
        for field in type(first)._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and getattr(second, field.attname):
                setattr(second, field.attname, getattr(first, field.attname))


def take(planned: Plan, *, capacity: int, queued_at) -> Variant | None:
    """Run the statement (the caller holds the activity's lock): the variant taken, its sign-up
    saved with its id; None when the member has a sign-up to the activity already. `queued_at`
    is the sign-up's place in the queue, stamped under the lock as the ORM's path stamps it:
    the waitlist is first come, first served in the order the lock was taken."""
    for variant in (planned.room, planned.waitlisted):
        variant.signup.queued_at = variant.rows[0].queued_at = queued_at
    connection = connections[planned.using]
    sql, params = _statement(planned, capacity, connection)
    with statement_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, waitlisted = row
    taken = planned.waitlisted if waitlisted else planned.room
    taken.signup.pk = pk
    SIGNUP_WORKFLOW.saved_by_statement(
        taken.signup, taken.transition, by=taken.signup.member.user, using=planned.using
    )
    return taken


@functools.cache
def _inserted_fields(model) -> list:
    """The columns the ORM's `INSERT` of a new `model` row gives (all but those the database
    returns: the automatic primary key)."""
    meta = model._meta
    return [
        field
        for field in meta.local_concrete_fields
        if field not in meta.db_returning_fields and not getattr(field, "generated", False)
    ]


def _values(fields, room: Model, waitlisted: Model, given: dict, connection):
    """Each column's values (prepared as the ORM prepares them for an `INSERT`): one where the
    two variants share it, the waitlisted variant's then the other's where they differ; and
    which columns differ (the shape of the statement)."""
    shape, params = [], []
    for field in fields:
        if field.attname in given:
            continue
        first, second = (
            field.get_db_prep_save(getattr(obj, field.attname), connection=connection)
            for obj in (room, waitlisted)
        )
        same = first is second or _same(first, second)
        shape.append(same)
        params.extend([first] if same else [second, first])
    return tuple(shape), params


def _same(first, second) -> bool:
    # psycopg's Jsonb wrapper compares by identity: two audit entries' data always differ.
    return type(first) is type(second) and bool(first == second)


def _select(fields, shape, given: dict, connection) -> tuple[str, str]:
    """The quoted columns and the `SELECT` list of their values in `shape`: a value the variants
    share once, one that differs chosen by `pick.waitlisted`; `given` maps a column's attname
    to SQL (the new sign-up's id). Cast to the column's type: an `INSERT … SELECT` does not
    infer the types of its parameters from the columns."""
    quote = connection.ops.quote_name
    columns, values = [], []
    differs = iter(shape)
    for field in fields:
        columns.append(quote(field.column))
        if field.attname in given:
            values.append(given[field.attname])
            continue
        cast = f"CAST(%s AS {field.cast_db_type(connection)})"
        same = next(differs)
        values.append(cast if same else f"CASE WHEN pick.waitlisted THEN {cast} ELSE {cast} END")
    return ", ".join(columns), ", ".join(values)


# The statement's text by the shape of its values, on each database: built once.
_STATEMENTS: dict[tuple, str] = {}


def _statement(planned: Plan, capacity: int, connection) -> tuple[str, list]:
    room, waitlisted = planned.room, planned.waitlisted
    history_model, entry_model = (type(row) for row in room.rows)
    pk = SignUp._meta.pk
    # The history row is the sign-up's (its `id`); the audit entry names it as text.
    tables = (
        ("s", SignUp, room.signup, waitlisted.signup, {}),
        ("h", history_model, room.rows[0], waitlisted.rows[0], {pk.attname: "s.{pk}"}),
        ("a", entry_model, room.rows[1], waitlisted.rows[1], {"object_id": "CAST(s.{pk} AS text)"}),
    )
    signup = room.signup
    params = [*(str(state) for state in SignUp.HOLDING_STATES), signup.member_id]
    params += [signup.activity_id, capacity]
    shapes = []
    for _name, model, rooms, waitlists, given in tables:
        shape, values = _values(_inserted_fields(model), rooms, waitlists, given, connection)
        shapes.append(shape)
        params.extend(values)
    key = (connection.alias, *shapes)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _statement_sql(tables, shapes, connection)
    return _STATEMENTS[key], params


def _statement_sql(tables, shapes, connection) -> str:
    quote = connection.ops.quote_name
    pk = quote(SignUp._meta.pk.column)
    holding = ", ".join(["%s"] * len(SignUp.HOLDING_STATES))
    parts = [
        f"held AS (SELECT COUNT(*) FILTER (WHERE {quote('state')} IN ({holding})) AS n, "
        f"COUNT(*) FILTER (WHERE {quote('member_id')} = %s) AS own "
        f"FROM {quote(SignUp._meta.db_table)} WHERE {quote('activity_id')} = %s)",
        "pick AS (SELECT held.n >= %s AS waitlisted FROM held WHERE held.own = 0)",
    ]
    tails = {"s": f"FROM pick RETURNING {pk}", "h": "FROM s, pick", "a": "FROM s, pick"}
    for (name, model, _rooms, _waitlists, given), shape in zip(tables, shapes, strict=True):
        given = {attname: sql.format(pk=pk) for attname, sql in given.items()}
        columns, values = _select(_inserted_fields(model), shape, given, connection)
        parts.append(
            f"{name} AS (INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"SELECT {values} {tails[name]})"
        )
    return "WITH " + ", ".join(parts) + f" SELECT s.{pk}, pick.waitlisted FROM s, pick"
