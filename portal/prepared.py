"""Statements compiled once per process: for the hottest writes (signing up through the API at
crowd speed, issue 11), building a queryset and compiling it to SQL costs more Python than the
database takes to answer. A `Prepared` builds its queryset once, with stand-in values, keeps
the SQL and runs it again with the real values: the same statement the ORM would write, without
the ORM's work. Only for querysets whose SQL does not depend on the values (no `__in` list whose
length varies, no value that changes the shape of the query)."""

import datetime
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


class Prepared:
    """`build(**stand_ins)` returns the queryset; `stand_ins` are values found nowhere else in
    its parameters (large odd numbers), replaced by the real ones on each run.

    `rows(**values)` returns model instances (annotations as attributes, like `raw()`);
    `one(**values)` returns the first row as a dict of column names (for `values()` or
    `aggregate`-like querysets)."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self.compiled: dict[str, tuple] = {}

    def _compile(self, using: str):
        if using not in self.compiled:
            queryset = self.build(**self.stand_ins)
            compiler = queryset.query.get_compiler(using)
            sql, params = compiler.as_sql()
            params = list(params)
            # The ORM's conversions of the values read (a datetime from SQLite's text, …).
            converters = compiler.get_converters([column[0] for column in compiler.select])
            slots = {}
            for name, stand_in in self.stand_ins.items():
                slots[name] = _slot(name, stand_in, params, connections[using].ops)
            self.compiled[using] = (queryset.model, sql, params, slots, converters)
        return self.compiled[using]

    def _params(self, using: str, values: dict):
        model, sql, params, slots, _converters = self._compile(using)
        if set(values) != set(slots):
            raise TypeError(f"expected values for {sorted(slots)}")
        params = list(params)
        for name, value in values.items():
            index, adapt = slots[name]
            params[index] = adapt(value)
        return model, sql, params

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        model, sql, params = self._params(using, values)
        return list(model._default_manager.db_manager(using).raw(sql, params))

    def one(self, using: str = DEFAULT_DB_ALIAS, **values) -> dict | None:
        _model, sql, params = self._params(using, values)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            names = [column[0] for column in cursor.description]
        if row is None:
            return None
        row = list(row)
        for position, (functions, expression) in self.compiled[using][4].items():
            for convert in functions:
                row[position] = convert(row[position], expression, connection)
        return dict(zip(names, row, strict=True))


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
