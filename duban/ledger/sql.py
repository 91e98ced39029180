"""Two aggregates the ORM lacks on both of duban's databases (SQLite and PostgreSQL).

- ``GroupConcat(expression)``: the values of a group joined by commas (SQLite ``GROUP_CONCAT``,
  PostgreSQL ``STRING_AGG``), in no particular order;
- ``JSONList(expression)``: the values of a group as a JSON list (SQLite ``JSON_GROUP_ARRAY``,
  PostgreSQL ``JSONB_AGG``), read back with ``json_lists``; in no particular order either, so
  each element carries what orders it.

``grouped_counts(queryset, *columns)`` counts the rows of a queryset's result by some of its
columns: ``SELECT columns, COUNT(*) FROM (queryset) GROUP BY columns``; ``grouped_lists``
lists a column's values per group instead. Those are the one thing here written as SQL (the
ORM groups only a model's own rows, not a query's), around SQL the ORM compiled with its
parameters.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import Aggregate, CharField, QuerySet, TextField


class GroupConcat(Aggregate):
    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
        )


class JSONList(Aggregate):
    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # jsonb comes back as text (Django's loader), like SQLite's JSON.
        return self.as_sql(compiler, connection, function="JSONB_AGG")


def json_lists(values: list[Any]) -> list[Any]:
    """JSON values as read from the database (text, or already read), all decoded with one
    ``json.loads``: a page's hundreds of small documents cost one call, not hundreds."""
    texts = [value if isinstance(value, str) else json.dumps(value) for value in values]
    found: list[Any] = json.loads("[" + ",".join(text or "null" for text in texts) + "]")
    return found


def grouped_counts(queryset: QuerySet[Any], *columns: str) -> list[tuple[Any, ...]]:
    """``(*values, count)`` for each combination of ``columns`` (names of the queryset's
    ``values()``) among its rows; one query."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names}, COUNT(*) FROM ({sql}) AS {quote('grouped')} GROUP BY {names}",
            params,
        )
        return [tuple(row) for row in cursor.fetchall()]


def grouped_lists(queryset: QuerySet[Any], columns: tuple[str, ...], listed: str) -> list[Any]:
    """``(*values, [ids…])`` for each combination of ``columns`` among the queryset's rows,
    with the ``listed`` column's values of its rows (integers, joined by the database); one
    query."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        joined = f"STRING_AGG(CAST({quote(listed)} AS TEXT), ',')"
    else:
        joined = f"GROUP_CONCAT({quote(listed)})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names}, {joined} FROM ({sql}) AS {quote('grouped')} GROUP BY {names}",
            params,
        )
        return [
            (*row[:-1], [int(value) for value in row[-1].split(",")] if row[-1] else [])
            for row in cursor.fetchall()
        ]
