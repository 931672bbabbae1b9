"""The rows of a queryset on each local day they span, counted and ranked in the database.

A month calendar shows, for each of its days, the first few rows whose span (a start and an
end time) touches that day, and how many more there are. Reading every row's times to count
them in Python grew with the city (~700 rows a month at city scale, for at most 126 shown).
Here the database joins the rows to the calendar's days (a VALUES list of each day's local
start and end, as instants: the time zone is Python's, so SQLite and PostgreSQL agree) and
returns, per day, only the first `per_day` rows with the day's count: at most `per_day` rows
for each day, whatever the number of rows. The rows are MATERIALIZED first (SQLite 3.35+,
PostgreSQL 12+): left to itself, SQLite flattened them into the join and searched the
activities once per day (22 ms at city scale instead of 6.6).

A row is on day `d` when its start is before the end of `d` and its end is not before the
start of `d`: the days from its start's local date to its end's local date, inclusive (an
activity ending at midnight is on the next day too)."""

import datetime
from typing import NamedTuple

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone


class DayRows(NamedTuple):
    ids: list[int]  # the first rows of the day, by start then id
    total: int  # how many rows the day has


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def first_rows_by_day(
    rows: QuerySet, *, days: list[datetime.date], start: str, end: str, per_day: int
) -> dict[datetime.date, DayRows]:
    """For each of `days` that has rows of `rows` spanning it (fields `start`, `end`), its
    first `per_day` row ids by (start, id) and its number of rows. One query."""
    connection = connections[rows.db]
    spans, span_params = rows.order_by().values_list("pk", start, end).query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    day_params = []
    for n, day in enumerate(days):
        day_params += [n, adapt(_start_of(day)), adapt(_start_of(day + datetime.timedelta(1)))]
    values = ", ".join(["(%s, %s, %s)"] * len(days))
    sql = f"""
        WITH days (n, day_start, day_end) AS (VALUES {values}),
             spans (id, starts_at, ends_at) AS MATERIALIZED ({spans})
        SELECT n, id, total FROM (
            SELECT days.n, spans.id,
                   ROW_NUMBER() OVER (PARTITION BY days.n ORDER BY spans.starts_at, spans.id)
                       AS place,
                   COUNT(*) OVER (PARTITION BY days.n) AS total
            FROM days JOIN spans
              ON spans.starts_at < days.day_end AND spans.ends_at >= days.day_start
        ) ranked
        WHERE place <= %s
        ORDER BY n, place"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*day_params, *span_params, per_day])
        found: dict[datetime.date, DayRows] = {}
        for n, pk, total in cursor.fetchall():
            found.setdefault(days[n], DayRows([], total)).ids.append(pk)
    return found
