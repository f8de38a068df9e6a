"""``one_of``: a column matching a list of ids or strings, on SQLite (``IN``) and PostgreSQL (one
array parameter); an empty list matches nothing; a cached statement takes each run's own list."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine.default import CACHE_HIT

from otbill.storage import Database
from otbill.storage.repositories.id_lists import one_of
from otbill.storage.tables import ClaimRow
from support.clinickit import insert_claim, seed_clinic


def _claims(db: Database) -> dict[str, int]:
    """Three claims: number -> id."""
    ids = seed_clinic(db)
    return {n: insert_claim(db, ids, n)[0] for n in ("IDL-1", "IDL-2", "IDL-3")}


def _numbers(db: Database, values: list[Any], column: Any = ClaimRow.id) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.scalars(select(ClaimRow.number).where(one_of(column, values))))


def test_ids_and_strings_match_their_rows(db: Database) -> None:
    claims = _claims(db)
    assert _numbers(db, [claims["IDL-1"], claims["IDL-3"], -5]) == {"IDL-1", "IDL-3"}
    assert _numbers(db, ["IDL-2", "IDL-9"], ClaimRow.number) == {"IDL-2"}
    assert _numbers(db, {claims["IDL-2"]: "a dict's keys"}) == {"IDL-2"}


def test_an_empty_list_matches_nothing(db: Database) -> None:
    _claims(db)
    assert _numbers(db, []) == set()
    assert _numbers(db, [], ClaimRow.number) == set()


def test_a_cached_statement_takes_each_runs_own_list(db: Database) -> None:
    claims = _claims(db)
    runs = [["IDL-1"], ["IDL-2", "IDL-3"], [], ["IDL-3", "IDL-1", "IDL-2"]]
    with db.engine.connect() as conn:
        for n, numbers in enumerate(runs):
            query = select(ClaimRow.id).where(one_of(ClaimRow.number, numbers))
            result = conn.execute(query)
            assert set(result.scalars()) == {claims[x] for x in numbers}
            if n:  # the same statement again: compiled once, each run's values bound
                assert result.context.cache_hit is CACHE_HIT


def test_postgresql_binds_one_array_whatever_the_list() -> None:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    texts = set()
    for values in ([1], [1, 2, 3], list(range(5000)), []):
        compiled = (
            select(ClaimRow.number).where(one_of(ClaimRow.id, values)).compile(dialect=dialect)
        )
        assert list(compiled.params.values()) == ["{" + ",".join(map(str, values)) + "}"]
        texts.add(str(compiled))
    assert len(texts) == 1
    assert "claim.id = ANY (CAST(%(id_1)s AS INTEGER[]))" in texts.pop()
    strings = select(ClaimRow.id).where(one_of(ClaimRow.number, ["a", 'b"\\']))
    compiled = strings.compile(dialect=dialect)
    assert "AS VARCHAR(38)[]" in str(compiled)
    assert list(compiled.params.values()) == ['{"a","b\\"\\\\"}']


def test_awkward_strings_match_only_themselves(db: Database) -> None:
    """Quotes, backslashes, commas, braces, spaces, NULL and non-ASCII text in a claim number
    each match their own claim: the array's text quotes and escapes them."""
    ids = seed_clinic(db)
    awkward = ['Q"1', "B\\2", "C,3", "{D}", " E 5 ", "NULL", "Zoë-7", ""]
    claims = {n: insert_claim(db, ids, n)[0] for n in awkward}
    for number in awkward:
        assert _numbers(db, [number], ClaimRow.number) == {number}
    assert _numbers(db, awkward, ClaimRow.number) == set(awkward)
    assert _numbers(db, list(claims.values())) == set(awkward)
    assert _numbers(db, ["Q", "B", "C", "D", "E 5", "null"], ClaimRow.number) == set()


def test_postgresql_reads_the_arrays_text_once(db: Database) -> None:
    """The array's text is an untyped parameter PostgreSQL reads as the array: a text
    parameter would be cast for every row (``'{...}'::cstring``), and under row-level security
    kept out of the index (the cast is not leakproof)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan")
    claims = _claims(db)
    query = select(ClaimRow.id).where(one_of(ClaimRow.number, ["IDL-1", "IDL-2"]))
    with db.engine.connect() as conn:
        compiled = query.compile(conn)
        plan = "\n".join(
            conn.exec_driver_sql(f"EXPLAIN VERBOSE {compiled}", compiled.params).scalars()
        )
        found = set(conn.scalars(query))
    assert "cstring" not in plan and '\'{"IDL-1","IDL-2"}\'' not in plan
    assert found == {claims["IDL-1"], claims["IDL-2"]}
