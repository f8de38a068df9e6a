"""A column matching one of a list of values (ids, claim numbers, keys), as one bound array on
PostgreSQL.

Why: ``column.in_(ids)`` sends ``IN (%(id_1_1)s, %(id_1_2)s, ...)``, one parameter per value, so
a batch of thousands of ids is a fresh long query text each time, which psycopg parses afresh
(its cache skips long queries; some 9% of a large 835's CPU). ``column = ANY(%(id_1)s)`` with
one array parameter is a short text that stays the same whatever the list, cached and prepared.
Other databases (SQLite) get ``column IN (...)`` exactly as ``.in_`` renders it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

__all__ = ["ids_per_statement", "one_of"]


class _OneOf(ColumnElement[bool]):
    """Both forms of the test, built once; each dialect compiles the one it wants.

    Both are children, so the statement's cache key holds both bound parameters and a cached
    statement takes each run's values from the new statement, never the first run's."""

    __visit_name__ = "one_of"
    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012 — SQLAlchemy's traversal declaration, read only
        ("as_in", InternalTraversal.dp_clauseelement),
        ("as_any", InternalTraversal.dp_clauseelement),
    ]
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison: SQLite must not get "(...) = 1" appended

    def __init__(self, column: ColumnElement[Any], values: list[Any]) -> None:
        self.as_in = column.in_(values)
        array = bindparam(column.key, values, type_=ARRAY(column.type), unique=True)
        self.as_any = column == any_(array)


@compiles(_OneOf)
def _as_in(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.as_in, **kw)


@compiles(_OneOf, "postgresql")
def _as_any(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.as_any, **kw)


def one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column`` equals one of ``values`` (always false for none, as ``.in_([])``): on
    PostgreSQL ``column = ANY(<one array parameter of the column's type>)``, elsewhere
    ``column IN (...)``."""
    return _OneOf(column, list(values))


def ids_per_statement(connection: Any) -> int:
    """How many ids one statement should match at most: on PostgreSQL one array parameter holds
    any number (a large 835's step is one statement); SQLite counts each against its limit of
    bound parameters."""
    return 50_000 if connection.dialect.name == "postgresql" else 500
