"""Bulk rows on PostgreSQL go as COPY text lines formatted by ``bulk_rows`` itself: whatever the
values (strings with tabs, line ends, backslashes or a literal ``\\N``, None, large ints, dates,
datetimes to the microsecond, JSON holding such strings) they come back exactly as written, and
each row's text in the table is what psycopg's own ``write_row`` makes of it; a value of a type
not formatted there goes to psycopg with the rest of the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    MetaData,
    Numeric,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.orm import Session

from otbill.storage import Database, bulk_rows
from otbill.storage.bulk_rows import write_rows

pytestmark = pytest.mark.postgres

_metadata = MetaData()


def _table(name: str) -> Table:
    return Table(
        name, _metadata,
        Column("id", BigInteger, primary_key=True), Column("words", Text),
        Column("number", BigInteger), Column("flag", Boolean), Column("day", Date),
        Column("moment", DateTime), Column("amount", Numeric), Column("doc", JSON),
        prefixes=["TEMPORARY"],
    )  # fmt: skip


class _Sample:
    """What ``write_rows`` takes: a model with a ``__table__`` (a temporary table here)."""

    __table__ = _table("bulk_text_sample")


_BY_PSYCOPG = _table("bulk_text_by_psycopg")  # the same rows through psycopg's write_row
_COLUMNS = [c.name for c in _Sample.__table__.columns]

_AWKWARD = st.sampled_from(["", "\\N", "\\", "\\.", "a\tb", "a\nb", "a\rb", "\r\n", "é€😀", "'\""])
_TEXTS = _AWKWARD | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXTS, inner, max_size=4),
    max_leaves=12,
)
_ROW = st.fixed_dictionaries(
    {
        "words": st.none() | _TEXTS,
        "number": st.none() | st.integers(-(2**63), 2**63 - 1),
        "flag": st.none() | st.booleans(),
        "day": st.none() | st.dates(),
        "moment": st.none() | st.datetimes(),
        "amount": st.none() | st.decimals(-(10**12), 10**12, places=6),
        "doc": st.none() | st.lists(_JSON, max_size=4) | st.dictionaries(_TEXTS, _JSON, max_size=4),
    }
)


@pytest.fixture
def pg(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """``db`` on PostgreSQL only, COPY's chunks of three rows (so rows span several)."""
    if db.backend != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(bulk_rows, "_CHUNK_ROWS", 3)
    yield db


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": n, **row} for n, row in enumerate(rows)]


def _write_by_psycopg(session: Session, rows: list[dict[str, Any]]) -> None:
    from psycopg.types.json import Json

    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy("COPY bulk_text_by_psycopg FROM STDIN") as copy:
        for row in rows:
            values = [row[c] for c in _COLUMNS]
            copy.write_row([Json(v) if isinstance(v, dict | list) else v for v in values])


def _round_trip(db: Database, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` both ways; each reads back as written, and its text is psycopg's."""
    with db.session() as session:
        conn = session.connection()
        _Sample.__table__.create(conn)
        _BY_PSYCOPG.create(conn)
        write_rows(session, _Sample, rows)
        _write_by_psycopg(session, rows)
        got = conn.execute(select(_Sample.__table__).order_by("id")).all()
        ours, psycopgs = (
            conn.execute(text(f"SELECT t::text FROM {name} t ORDER BY id")).scalars().all()
            for name in ("bulk_text_sample", "bulk_text_by_psycopg")
        )
        session.rollback()  # the temporary tables go with it
    assert [tuple(r) for r in got] == [tuple(row[c] for c in _COLUMNS) for row in rows]
    assert ours == psycopgs


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, min_size=1, max_size=10))
def test_awkward_values_come_back_as_written(pg: Database, rows: list[dict[str, Any]]) -> None:
    _round_trip(pg, _numbered(rows))


def test_a_type_not_formatted_here_goes_to_psycopg_with_the_rows_after_it(pg: Database) -> None:
    class Day(dt.date):
        """A date subclass: not formatted by bulk_rows (its exact type is not date)."""

    day = dt.date(2025, 3, 1)
    rows = [
        {"words": f"w{n}\t", "number": n, "flag": n % 2 == 0, "day": day,
         "moment": dt.datetime(2025, 3, 1, 9, 0, 0, n), "amount": Decimal("1.10"),
         "doc": {"n": [n, "\\"]}}
        for n in range(8)
    ]  # fmt: skip
    rows[4]["day"] = Day(2025, 3, 2)  # in the second chunk: it and the third go to psycopg
    rows[5]["flag"] = 1  # an int among bools: psycopg writes it too
    _round_trip(pg, _numbered(rows))
