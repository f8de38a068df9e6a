"""Many rows of one table written in one statement, for the few writers that add thousands at once
(an 835's postings, the audit trail of a large posting or import, imported patients).

On PostgreSQL that is ``COPY … FROM STDIN`` (one stream of rows: no statement text to parse, no
round trip per row); where the table's row-level security holds the role (PostgreSQL refuses COPY
there) the stream goes into a temporary table and on with one INSERT ... SELECT. The stream's lines
are formatted here, a column at a time, byte for byte as psycopg's ``write_row`` formats them, in
40% (postings) to 70% (an audit trail, mostly its JSON) of its time. On SQLite it is one
executemany INSERT (in process, no round trips).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from otbill.storage import stages
from otbill.storage.row_security import copy_allowed

__all__ = [
    "SEQUENCE_OF",
    "JsonText",
    "copy_chunks",
    "insert_numbered",
    "reserve_ids",
    "write_rows",
]

_CHUNK_ROWS = 4000  # rows per write: about 1 MB of an audit trail's lines
_NULL = "\\N"  # COPY text's None


class JsonText(str):
    """A json column's value already encoded (written as this text, not encoded again): the
    audit trail's images, encoded once for their hash. PostgreSQL only; SQLite's executemany
    gets the values themselves."""

    __slots__ = ()


def write_rows(
    session: Session,
    model: type[Any],
    rows: Sequence[dict[str, Any]],
    *,
    chunks: Sequence[str | None] | None = None,
) -> None:
    """Insert ``rows`` (column name -> value; every row has the same names) into ``model``'s
    table, in the session's transaction. The caller flushes first what the rows refer to.
    ``chunks``: :func:`copy_chunks` of the rows, formatted ahead (PostgreSQL)."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)  # names from the table's model
    if copy_allowed(session, table.name):
        _copy(session, f'"{table.name}" ({names})', columns, rows, chunks)
        return
    # Row-level security holds this role (as production runs): PostgreSQL refuses COPY into the
    # table, so the rows are copied into a temporary table of the same columns (the session's
    # own, no policy) and moved with one INSERT ... SELECT, which the policy checks as it checks
    # any INSERT.
    stage = f"stage_{table.name}_{zlib.crc32(names.encode()):08x}"  # its columns in its name
    if not stages.made(session, stage):
        session.execute(
            text(f'CREATE TEMPORARY TABLE IF NOT EXISTS "{stage}" AS '
                 f'SELECT {names} FROM "{table.name}" WITH NO DATA')
        )  # fmt: skip
    _copy(session, f'"{stage}" ({names})', columns, rows, chunks)
    # one round trip for both (no parameters: psycopg sends them as one simple query)
    session.execute(
        text(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{stage}"; '
             f'TRUNCATE "{stage}"')
    )  # fmt: skip


def copy_chunks(rows: Sequence[dict[str, Any]]) -> list[str | None]:
    """``rows`` as COPY text, a chunk at a time (None for a chunk with a value not formatted
    here), formatted ahead of :func:`write_rows`: an 835's step formats its postings while the
    step before it is written (:mod:`otbill.services.remittances.overlap`)."""
    columns = list(rows[0]) if rows else []
    return [
        _copy_lines(columns, rows[start : start + _CHUNK_ROWS])
        for start in range(0, len(rows), _CHUNK_ROWS)
    ]


def _copy(
    session: Session,
    target: str,
    columns: list[str],
    rows: Sequence[dict[str, Any]],
    chunks: Sequence[str | None] | None = None,
) -> None:
    """``COPY target FROM STDIN`` of ``rows``' ``columns``, sent as text lines a chunk at a time
    (psycopg's ``write_row`` took 5 µs of Python a posting, 9 an audit event); from the first
    chunk holding a value of a type not formatted here on, psycopg formats the rows."""
    from psycopg.types.json import Json  # PostgreSQL only

    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for n, start in enumerate(range(0, len(rows), _CHUNK_ROWS)):
            lines = (
                chunks[n]
                if chunks is not None
                else _copy_lines(columns, rows[start : start + _CHUNK_ROWS])
            )
            if lines is None:  # write_row buffers: later write() calls would overtake it
                for row in rows[start:]:
                    values = map(row.__getitem__, columns)
                    copy.write_row([Json(v) if isinstance(v, dict | list) else v for v in values])
                return
            copy.write(lines)


def _copy_lines(columns: list[str], rows: Sequence[dict[str, Any]]) -> str | None:
    """``rows`` as the lines of COPY's text format (tab between values, ``\\N`` for None), or
    None if a column holds a value of a type not formatted here or of more than one type."""
    fields = []
    for name in columns:
        texts = _column_texts(list(map(itemgetter(name), rows)))
        if texts is None:
            return None
        fields.append(texts)
    return "\n".join(map("\t".join, zip(*fields, strict=True))) + "\n"


def _column_texts(values: list[Any]) -> list[str] | None:
    """One column's values as COPY text, formatted by the one type its non-None values have."""
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if not kinds:
        return [_NULL] * len(values)
    kind = kinds.pop()
    if kinds or (text_of := _TEXT_OF.get(kind)) is None:
        return None
    if kind is dt.datetime:  # each object formatted once (~1 µs each): the rows share their "now"
        objects = {id(v): v for v in values}
        texts = {key: _NULL if v is None else text_of(v) for key, v in objects.items()}
        return [texts[id(v)] for v in values]
    if kind in _ALIKE and len(distinct := set(values)) * 2 <= len(values):  # mostly repeats
        alike = {v: _NULL if v is None else text_of(v) for v in distinct}  # a clinic, a day, a code
        return list(map(alike.__getitem__, values))
    if nulls:
        return [_NULL if v is None else text_of(v) for v in values]
    return list(map(text_of, values))


def _escaped(text: str) -> str:
    """``text`` as a COPY text value: the backslash and the characters that end a value or a
    line (tab, newline, carriage return) escaped with a backslash."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t")
        return text.replace("\n", "\\n").replace("\r", "\\r")
    return text


def _json_text(value: dict[str, Any] | list[Any]) -> str:
    """JSON as psycopg's ``Json`` writes it (``json.dumps``' defaults: a json column keeps the
    text as given), escaped; JSON itself escapes tabs and line ends, so only backslashes grow."""
    return json.dumps(value).replace("\\", "\\\\")


#: How a value of each type (exactly that type: an IntEnum or a datetime subclass goes to
#: psycopg) is written: what psycopg's text dumpers write. Dates and datetimes in ISO form, which
#: PostgreSQL reads whatever its DateStyle; naive datetimes to the microsecond, as stored.
_TEXT_OF: dict[type, Callable[[Any], str]] = {
    str: _escaped,
    int: int.__repr__,
    bool: lambda b: "t" if b else "f",
    dt.date: dt.date.isoformat,
    dt.datetime: str,  # isoformat with a space, as psycopg writes it
    Decimal: lambda d: "NaN" if d.is_nan() else str(d),
    dict: _json_text,
    list: _json_text,
    JsonText: lambda t: t.replace("\\", "\\\\"),  # JSON escapes tabs and line ends itself
}
#: Types whose equal values are written alike (unlike aware datetimes, Decimal("1.0") and "1.00").
_ALIKE = {str, int, bool, dt.date}


#: The table's id sequence (``:table``), named once as a sub-SELECT: PostgreSQL runs it once per
#: query (an InitPlan), where ``nextval(pg_get_serial_sequence(...))`` looked the sequence up by
#: name again for every id (111,200 ids: 334 ms against 49 ms).
SEQUENCE_OF = "(SELECT CAST(pg_get_serial_sequence(:table, 'id') AS regclass))"


def insert_numbered(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (without ids) into ``model``'s table, setting each row's ``"id"`` to the id
    it was given. On PostgreSQL the ids come from the table's sequence in one query
    (:func:`reserve_ids`) and the rows go in one :func:`write_rows`; elsewhere one INSERT ...
    RETURNING gives them back in order."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    ids = reserve_ids(session, model, len(rows))
    if ids is None:
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        made = session.execute(returning, [{**r, "id": None} for r in rows]).scalars()
        for row, new_id in zip(rows, made, strict=True):
            row["id"] = new_id
        return
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    write_rows(session, model, rows)


def reserve_ids(session: Session, model: type[Any], count: int) -> list[int] | None:
    """``count`` new ids of ``model``'s table, ascending, from its sequence on PostgreSQL (taken
    for good, outside the transaction: a rolled-back step leaves a gap, as any INSERT would;
    nothing is locked, so ids can be taken while another transaction writes); None on SQLite,
    which has no sequence (INSERT ... RETURNING gives them)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if count == 0:
        return []
    # one text value: 111,200 ids as rows took 0.3 s of this process to read back
    query = text(
        f"SELECT string_agg(CAST(nextval({SEQUENCE_OF}) AS text), ',') "
        "FROM generate_series(1, :count)"
    )
    listed = session.scalar(query, {"table": cast(Table, model.__table__).name, "count": count})
    return sorted(map(int, listed.split(",")))
