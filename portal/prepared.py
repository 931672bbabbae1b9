"""Statements compiled once per process: for the hottest writes (signing up through the API at
crowd speed, issue 11), building a queryset and compiling it to SQL costs more Python than the
database takes to answer. A `Prepared` builds its queryset once, with stand-in values, keeps
the SQL and runs it again with the real values: the same statement the ORM would write, without
the ORM's work. Only for querysets whose SQL does not depend on the values (no `__in` list whose
length varies, no value that changes the shape of the query).

On PostgreSQL the statement is also prepared by the server, once per connection (psycopg's
prepared statements, with the values bound by the server): the database then parses and plans
it once instead of on every run, which for the sign-up's statements (the activity's view
restrictions and its parent's subquery) cost more of PostgreSQL's time than running them.
Django itself binds values on the client and prepares nothing (`server_side_binding` and
`prepare_threshold` are off by default, for connection poolers in transaction mode, which a
server-side prepared statement does not survive): only these statements are prepared, through
Django's cursor wrappers, so they are counted, logged and wrapped like any other query. Off with
`DATABASE_PREPARED_STATEMENTS=0` (settings `PREPARED_STATEMENTS`), for a pooler in transaction
mode that does not track prepared statements (PgBouncer before 1.21, or without
`max_prepared_statements`)."""

import datetime
import functools
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

# A threshold no statement reaches by repetition: prepared when asked (`prepare=True`) only.
_ASKED_ONLY = 2**31 - 1


@functools.cache
def _preparing_cursor_class():
    """psycopg's cursor with server-side binding (Django's, when `server_side_binding` is on)
    that prepares every statement it runs."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class Preparing(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

        def _send_query_prepared(self, name, pgq, *args, **kwargs):
            # psycopg keeps the statement run (`cursor._query`, which Django logs: the queries
            # of a test or of the debug toolbar) for statements it sends, not for prepared
            # ones it runs by name: kept for those too.
            self._query = pgq
            return super()._send_query_prepared(name, pgq, *args, **kwargs)

    return Preparing


def _preparing_cursor(connection):
    """A cursor of `connection` (PostgreSQL, psycopg 3) whose statements are bound and prepared
    by the server, wrapped as Django wraps its own (debug logging, execute wrappers, errors)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Django turns psycopg's preparation off for the connection (None), and psycopg then
    # prepares nothing, even when asked. Only cursors binding on the server consult it, and
    # Django's own bind on the client: turned on, it prepares the statements run here only.
    if connection.connection.prepare_threshold is None:
        connection.connection.prepare_threshold = _ASKED_ONLY
    with connection.wrap_database_errors:
        # psycopg's cursor takes the connection's adapters (its time zone among them).
        return connection._prepare_cursor(_preparing_cursor_class()(connection.connection))


def _cursor(connection):
    if connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS:
        return _preparing_cursor(connection)
    return connection.cursor()


def statement_cursor(connection):
    """A cursor for a statement written by hand and run on every busy request (the API's
    sign-up in one statement, `volunteering.signups.one_statement`): prepared by PostgreSQL
    once per connection, as the statements here are; Django's own cursor elsewhere."""
    return _cursor(connection)


class Prepared:
    """`build(**stand_ins)` returns the queryset; `stand_ins` are values found nowhere else in
    its parameters (large odd numbers), replaced by the real ones on each run.

    `rows(**values)` returns model instances (annotations as attributes), as iterating the
    queryset would; `one(**values)` returns the first row as a dict of column names (for
    `values()` or `aggregate`-like querysets), `first(**values)` its values only."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self.compiled: dict[str, tuple] = {}

    def _compile(self, using: str):
        if using not in self.compiled:
            built = self.build(**self.stand_ins)
            if isinstance(built, tuple):  # an update: (queryset, {field: value})
                queryset, changes = built
                query = queryset.query.chain(UpdateQuery)
                query.add_update_values(changes)
                compiler = query.get_compiler(using)
            else:
                compiler = built.query.get_compiler(using)
            sql, params = compiler.as_sql()
            params = list(params)
            # The ORM's conversions of the values read (a datetime from SQLite's text, …).
            select = getattr(compiler, "select", None) or []
            converters = compiler.get_converters([column[0] for column in select])
            slots = {}
            for name, stand_in in self.stand_ins.items():
                slots[name] = _slot(name, stand_in, params, connections[using].ops)
            self.compiled[using] = (sql, params, slots, converters, _instances(compiler))
        return self.compiled[using]

    @staticmethod
    def _params(compiled: tuple, values: dict) -> list:
        _sql, params, slots, _converters, _init = compiled
        if set(values) != set(slots):
            raise TypeError(f"expected values for {sorted(slots)}")
        params = list(params)
        for name, value in values.items():
            index, adapt = slots[name]
            params[index] = adapt(value)
        return params

    def _run(self, using: str, values: dict, named: bool = False) -> tuple[list, list, tuple]:
        """The rows (converted as the ORM converts them) and the column names."""
        compiled = self._compile(using)
        sql, params, converters = compiled[0], self._params(compiled, values), compiled[3]
        connection = connections[using]
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            # Only `one` names its columns: psycopg builds an object per column to describe.
            names = [column[0] for column in cursor.description] if named else None
        if converters and rows:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters.items():
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
        return rows, names, compiled

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        rows, _names, compiled = self._run(using, values)
        model, start, end, init_names, annotations = compiled[4]
        found = []
        for row in rows:
            instance = model.from_db(using, init_names, row[start:end])
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def update(self, using: str = DEFAULT_DB_ALIAS, **values) -> int:
        """For `build` returning `(queryset, {field: value})`: that `queryset.update(...)`, the
        number of rows changed (the values' stand-ins may be in the filter or the update)."""
        compiled = self._compile(using)
        with _cursor(connections[using]) as cursor:
            cursor.execute(compiled[0], self._params(compiled, values))
            return cursor.rowcount

    def first(self, using: str = DEFAULT_DB_ALIAS, **values) -> list | None:
        """The first row's values in the queryset's order (converted), or None: `one` without
        the columns' names, which psycopg describes with an object per column."""
        rows, _names, _compiled = self._run(using, values)
        return rows[0] if rows else None

    def one(self, using: str = DEFAULT_DB_ALIAS, **values) -> dict | None:
        rows, names, _compiled = self._run(using, values, named=True)
        if not rows:
            return None
        return dict(zip(names, rows[0], strict=True))


def _instances(compiler) -> tuple | None:
    """How the ORM builds the queryset's model instances from a row (its `ModelIterable`,
    without `select_related`): the model, the model's columns' range, their attribute names and
    the annotations' (name, position). None for `values()` querysets."""
    klass_info = getattr(compiler, "klass_info", None)
    if not klass_info or compiler.query.values_select or klass_info.get("related_klass_infos"):
        return None
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_names = [column[0].target.attname for column in compiler.select[start:end]]
    annotations = tuple(compiler.annotation_col_map.items())
    return klass_info["model"], start, end, init_names, annotations


def _slot(name: str, stand_in, params: list, ops) -> tuple[int, Callable]:
    """Where `stand_in` is among `params`, and how a value is adapted as the ORM adapted it (a
    datetime becomes a string on SQLite)."""
    adapters = [lambda value: value]
    if isinstance(stand_in, datetime.datetime):
        adapters.append(ops.adapt_datetimefield_value)
    for adapt in adapters:
        found = [n for n, param in enumerate(params) if param == adapt(stand_in)]
        if len(found) == 1:
            return found[0], adapt
    raise ValueError(f"the stand-in for {name} is not one parameter of the query")


# --- Inserts -----------------------------------------------------------------------------------

# (model, fields, returning fields, database) -> (SQL, converters of the returned values), or
# None where the ORM must write the statement itself (a field with its own placeholder).
_INSERTS: dict[tuple, tuple | None] = {}


def insert(obj, manager, using: str, fields, returning_fields, raw: bool) -> list:
    """What `Model._do_insert` does (one row's `INSERT`, returning the database's values), with
    the statement compiled once per model, columns and database instead of on every save: a
    sign-up through the API writes four rows (the sign-up, its history row, its audit entry and
    the email's task), and compiling each `INSERT` cost more Python than the database took to
    run it. The values are prepared as the ORM prepares them (`pre_save`, `get_db_prep_save`);
    a value that is an expression, a raw save, or a field with its own placeholder goes through
    the ORM."""

    def by_the_orm():
        return manager._insert(
            [obj], fields=fields, returning_fields=returning_fields, using=using, raw=raw
        )

    connection = connections[using]
    if raw or connection.vendor not in ("postgresql", "sqlite"):
        return by_the_orm()
    values = [field.pre_save(obj, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        return by_the_orm()
    key = (type(obj), tuple(fields), tuple(returning_fields or ()), using)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(obj, using, fields, returning_fields)
        # Compiling ran the fields' `pre_save` again (a creation time stamped anew): the object
        # keeps the values written, which its history row copies.
        for field, value in zip(fields, values, strict=True):
            setattr(obj, field.attname, value)
    compiled = _INSERTS[key]
    if compiled is None:
        return by_the_orm()
    sql, converters = compiled
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(fields, values, strict=True)
    ]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        if not returning_fields:
            return []
        row = list(connection.ops.fetch_returned_insert_columns(cursor, None))
    for position, (functions, expression) in converters.items():
        for convert in functions:
            row[position] = convert(row[position], expression, connection)
    return [tuple(row)]


def _compile_insert(obj, using: str, fields, returning_fields) -> tuple | None:
    from django.db.models.sql import InsertQuery

    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning_fields
    statements = compiler.as_sql()
    if len(statements) != 1 or len(statements[0][1]) != len(fields):
        return None
    table = obj._meta.db_table
    converters = compiler.get_converters([field.get_col(table) for field in returning_fields or ()])
    return statements[0][0], converters


class PreparedInsert:
    """A model mixin: its rows are inserted by `insert` (a statement compiled once)."""

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        return insert(self, manager, using, fields, returning_fields, raw)


def save_new(obj) -> None:
    """`models.Model.save()` of a new `obj` of a model that is not the project's (its signals
    sent; its class's own `save` skipped), with its `INSERT` by `insert`."""
    from django.db import models

    obj._do_insert = functools.partial(insert, obj)
    try:
        models.Model.save(obj, force_insert=True)
    finally:
        del obj._do_insert
