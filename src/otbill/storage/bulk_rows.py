"""Many rows of one table written in one statement, for the few writers that add thousands at once
(an 835's postings, the audit trail of a large posting or import, imported patients).

On PostgreSQL that is ``COPY … FROM STDIN`` (one stream of rows: no statement text to parse, no
round trip per row); where the table's row-level security holds the role (PostgreSQL refuses COPY
there) the stream goes into a temporary table and on with one INSERT ... SELECT. On SQLite it is
one executemany INSERT (in process, no round trips).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from otbill.storage.row_security import copy_allowed

__all__ = ["insert_numbered", "write_rows"]


def write_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column name -> value; every row has the same names) into ``model``'s
    table, in the session's transaction. The caller flushes first what the rows refer to."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)  # names from the table's model
    if copy_allowed(session, table.name):
        _copy(session, f'"{table.name}" ({names})', columns, rows)
        return
    # Row-level security holds this role (as production runs): PostgreSQL refuses COPY into the
    # table, so the rows are copied into a temporary table of the same columns (the session's
    # own, no policy) and moved with one INSERT ... SELECT, which the policy checks as it checks
    # any INSERT.
    stage = f"stage_{table.name}_{zlib.crc32(names.encode()):08x}"  # its columns in its name
    session.execute(
        text(f'CREATE TEMPORARY TABLE IF NOT EXISTS "{stage}" AS '
             f'SELECT {names} FROM "{table.name}" WITH NO DATA')
    )  # fmt: skip
    _copy(session, f'"{stage}" ({names})', columns, rows)
    session.execute(text(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{stage}"'))
    session.execute(text(f'TRUNCATE "{stage}"'))


def _copy(
    session: Session, target: str, columns: list[str], rows: Sequence[dict[str, Any]]
) -> None:
    """``COPY target FROM STDIN`` of ``rows``' ``columns`` (JSON values wrapped for psycopg)."""
    from psycopg.types.json import Json  # PostgreSQL only

    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    Json(v) if isinstance(v, dict | list) else v
                    for v in map(row.__getitem__, columns)
                ]
            )


def insert_numbered(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (without ids) into ``model``'s table, setting each row's ``"id"`` to the id
    it was given. On PostgreSQL the ids come from the table's sequence in one query and the rows
    go in one :func:`write_rows`; elsewhere one INSERT ... RETURNING gives them back in order."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    if session.get_bind().dialect.name != "postgresql":
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        made = session.execute(returning, [{**r, "id": None} for r in rows]).scalars()
        for row, new_id in zip(rows, made, strict=True):
            row["id"] = new_id
        return
    query = text(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"
    )
    ids = sorted(session.scalars(query, {"table": table.name, "count": len(rows)}))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    write_rows(session, model, rows)
