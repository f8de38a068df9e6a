"""A column matching one of a list of values (ids, claim numbers, keys), as one bound array on
PostgreSQL.

Why: ``column.in_(ids)`` sends ``IN (%(id_1_1)s, %(id_1_2)s, ...)``, one parameter per value, so
a batch of thousands of ids is a fresh long query text each time, which psycopg parses afresh
(its cache skips long queries; some 9% of a large 835's CPU). ``column = ANY(%(id_1)s)`` with
one array parameter is a short text that stays the same whatever the list, cached and prepared.
The array goes as its text, cast by PostgreSQL (``CAST(%(id_1)s AS INTEGER[])``), when the values
are all ints or all strings: psycopg builds an array parameter element by element in Python.
Other databases (SQLite) get ``column IN (...)`` exactly as ``.in_`` renders it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, any_, bindparam, cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType

__all__ = ["array_text", "ids_per_statement", "one_of"]


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
        text = _array_text(values)
        array: ColumnElement[Any]
        if text is not None:  # the array as its text, cast by PostgreSQL (see _array_text)
            # untyped: PostgreSQL gives the parameter the array's type and reads it once; a
            # text parameter would be cast row by row, and (not leakproof) kept out of the
            # index under row-level security
            array = cast(bindparam(column.key, text, type_=NullType(), unique=True),
                         ARRAY(column.type))  # fmt: skip
        else:
            array = bindparam(column.key, values, type_=ARRAY(column.type), unique=True)
        self.as_any = column == any_(array)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_text(values: list[Any]) -> str | None:
    """``values`` as PostgreSQL's text of an array (``{1,2,3}``, ``{"a","b"}``) when they are
    all ints or all strings (or None: NULL), else None. Why: psycopg turns a list into an array parameter
    element by element in Python (2,000 ids: 1.3 ms, 2,000 keys: 5.7 ms a statement, where the
    text takes 0.1 ms to join and the server parses it in C); an 835's step binds dozens."""
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if kinds <= {int}:
        texts = [str(v) if v is not None else "NULL" for v in values] if nulls else values
        return "{" + ",".join(map(str, texts)) + "}"
    if kinds == {str}:  # quoted: a backslash or a double quote escaped, all else as it is
        if nulls:
            return "{" + ",".join(_quoted(v) if v is not None else "NULL" for v in values) + "}"
        return "{" + ",".join(map(_quoted, values)) + "}"
    return None


def array_text(values: Iterable[Any]) -> str:
    """PostgreSQL's text of an array of ints or strings (None: NULL), for a statement that casts
    its parameter (``CAST(:ids AS integer[])``): see :func:`_array_text` for why."""
    text = _array_text(list(values))
    if text is None:
        raise TypeError("array_text takes ints or strings (and None)")
    return text


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
