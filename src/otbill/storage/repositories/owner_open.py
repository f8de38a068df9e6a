"""Keeping ``open_balance_day`` (issue 14, migration 0034): the open claim lines summed per payer,
patient, therapist and day of service (:mod:`otbill.storage.tables.owner_open`).

Derived from ``claim_line_balance``, which :mod:`.owner_summary` keeps from the ledger in the same
flush; this module's ``after_flush`` listener is registered after that one (it imports it first),
so it reads the line balances as the flush left them. A flush with postings adds to each key's
row what the open balances of its claims' lines changed by (those lines read once, the flush's
changes taken back for before), in one upsert, and drops the rows left without an open claim.
:func:`backfill_open_days` rebuilds a clinic (migration 0034, bulk-loaded benches) and
:func:`open_day_mismatches` compares the kept rows with the line balances grouped afresh.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, and_, delete, event, func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from otbill.storage.repositories.dashboard_summary import add_counters, array_params
from otbill.storage.repositories.id_lists import array_text, ids_per_statement, one_of
from otbill.storage.repositories.owner_summary import (  # its listener runs first
    flush_line_changes,
)
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import PostingRow
from otbill.storage.tables.owner_open import OpenBalanceDayRow
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["backfill_open_days", "keep_open_days", "open_day_mismatches"]

_LINE = ClaimLineBalanceRow
_DAY = OpenBalanceDayRow
_KEYS = ("clinic_id", "payer_id", "patient_id", "provider_id", "date_of_service")
_COLUMNS = (*_KEYS, "insurance_cents", "patient_cents", "claims")
_KEYS_PER_DELETE = 90  # five parameters a key, within SQLite's limit of bound parameters


def _grouped(where: Any, touched: Any = None) -> Any:
    """The open lines matching ``where`` (and, given ``touched``, a subquery of keys, in
    one of them: joined on the patient and day, ``ix_claim_line_balance_patient_day``) summed
    per key, in ``_COLUMNS`` order."""
    keys = [getattr(_LINE, k) for k in _KEYS]
    query = select(
        *keys,
        func.sum(_LINE.insurance_cents),
        func.sum(_LINE.patient_cents),
        func.count(func.distinct(_LINE.claim_id)),
    )
    if touched is not None:
        query = query.select_from(touched).join(
            _LINE, and_(*(getattr(_LINE, k) == touched.c[k] for k in _KEYS))
        )
    return query.where(where, _LINE.insurance_cents + _LINE.patient_cents > 0).group_by(*keys)


def _lines_of(connection: Connection, claims: set[int]) -> list[Any]:
    """These claims' kept line balances: (line, claim, the five keys, insurance, patient)."""
    ids, rows = sorted(claims), list[Any]()
    query = select(_LINE.claim_line_id, _LINE.claim_id, *(getattr(_LINE, k) for k in _KEYS),
                   _LINE.insurance_cents, _LINE.patient_cents)  # fmt: skip
    for start in range(0, len(ids), step := ids_per_statement(connection)):
        rows += connection.execute(query.where(one_of(_LINE.claim_id, ids[start : start + step])))
    return rows


def _open_deltas(lines: list[Any], changes: dict[int, Any]) -> dict[tuple[Any, ...], list[int]]:
    """Key -> what its row gains (insurance cents, patient cents, claims): the open lines of
    ``lines`` (every line of the flush's claims) now, minus as they were before the flush's
    ``changes`` (:func:`.owner_summary.flush_line_changes`; a line made by the flush was
    zero)."""
    deltas: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    claim_open: dict[tuple[Any, ...], list[bool]] = defaultdict(lambda: [False, False])
    for line_id, claim_id, *key_values, insurance, patient in lines:
        key, change, now = tuple(key_values), changes.get(line_id), (insurance, patient)
        was = (insurance - change.insurance, patient - change.patient) if change else now
        delta, open_was_now = deltas[key], claim_open[(*key, claim_id)]
        for when, sign, (ins, pat) in ((0, -1, was), (1, 1, now)):
            if ins + pat > 0:
                delta[0] += sign * ins
                delta[1] += sign * pat
                open_was_now[when] = True
    for (*key_values, _), (open_was, open_now) in claim_open.items():
        deltas[tuple(key_values)][2] += int(open_now) - int(open_was)
    return deltas


#: Drop the rows of arrays of keys (one array a key column) that have no open claim left: on
#: PostgreSQL one statement, cached (a tuple IN of the keys was a new statement text each time,
#: its parameters rendered one by one).
_DROP_CLOSED = text(
    f"DELETE FROM {_DAY.__tablename__} AS d USING unnest("
    + ", ".join(f"CAST(:{k} AS {'date' if k == 'date_of_service' else 'integer'}[])" for k in _KEYS)
    + f") AS k({', '.join(_KEYS)}) WHERE d.claims = 0 AND "
    + " AND ".join(f"d.{k} = k.{k}" for k in _KEYS)
)


#: :func:`_open_deltas` in the database (PostgreSQL): the claims' lines read and grouped there,
#: the flush's changes (arrays of line, insurance and patient cents) taken back for before; a row
#: a key comes back instead of every line of the claims.
_OPEN_DELTAS = text(
    "SELECT clinic_id, payer_id, patient_id, provider_id, date_of_service,"
    " sum(CASE WHEN ins + pat > 0 THEN ins ELSE 0 END)"
    " - sum(CASE WHEN was_ins + was_pat > 0 THEN was_ins ELSE 0 END),"
    " sum(CASE WHEN ins + pat > 0 THEN pat ELSE 0 END)"
    " - sum(CASE WHEN was_ins + was_pat > 0 THEN was_pat ELSE 0 END),"
    " count(DISTINCT claim_id) FILTER (WHERE ins + pat > 0)"
    " - count(DISTINCT claim_id) FILTER (WHERE was_ins + was_pat > 0)"
    " FROM (SELECT b.clinic_id, b.payer_id, b.patient_id, b.provider_id, b.date_of_service,"
    " b.claim_id, b.insurance_cents AS ins, b.patient_cents AS pat,"
    " b.insurance_cents - coalesce(c.ins, 0) AS was_ins,"
    " b.patient_cents - coalesce(c.pat, 0) AS was_pat"
    f" FROM {_LINE.__tablename__} AS b LEFT JOIN unnest(CAST(:lines AS integer[]),"
    " CAST(:ins AS integer[]), CAST(:pat AS integer[])) AS c(line, ins, pat)"
    " ON c.line = b.claim_line_id WHERE b.claim_id = ANY (CAST(:claims AS integer[]))) AS x"
    f" GROUP BY {', '.join(_KEYS)}"
)


def _deltas_of(
    connection: Connection, claims: set[int], changes: dict[int, Any]
) -> dict[tuple[Any, ...], list[int]]:
    """:func:`_open_deltas` of the claims' lines: summed by PostgreSQL, or here from the lines
    read (SQLite)."""
    if connection.dialect.name != "postgresql":
        return _open_deltas(_lines_of(connection, claims), changes)
    params = {"claims": array_text(sorted(claims)), "lines": array_text(changes),
              "ins": array_text(c.insurance for c in changes.values()),
              "pat": array_text(c.patient for c in changes.values())}  # fmt: skip
    rows = connection.execute(_OPEN_DELTAS, params)
    return {tuple(row[:5]): [int(n) for n in row[5:]] for row in rows}


def _add_open(connection: Connection, deltas: dict[tuple[Any, ...], list[int]]) -> None:
    """Add the deltas to their keys' rows (one upsert, :func:`.dashboard_summary.add_counters`),
    then drop the rows whose last open claim closed (a key with no open line has no row)."""
    rows = [dict(zip(_COLUMNS, (*key, *delta), strict=True))
            for key, delta in deltas.items() if any(delta)]  # fmt: skip
    add_counters(connection, _DAY.__table__, _KEYS, rows)  # type: ignore[arg-type]
    closed = sorted(key for key, delta in deltas.items() if delta[2] < 0)
    if closed and connection.dialect.name == "postgresql":
        connection.execute(_DROP_CLOSED, array_params(_KEYS, closed))
        return
    day_key = tuple_(*(getattr(_DAY, k) for k in _KEYS))
    for start in range(0, len(closed), _KEYS_PER_DELETE):
        chunk = closed[start : start + _KEYS_PER_DELETE]
        connection.execute(delete(_DAY).where(_DAY.claims == 0, day_key.in_(chunk)))


def keep_open_days(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: the flush's postings moved their lines' open
    balances (kept by :mod:`.owner_summary` first); each key's row gains what its lines' open
    balances changed by, read from the lines of the postings' claims, and loses its claims
    whose lines all closed. Not each touched key's row recomputed (a DELETE and an INSERT ...
    SELECT grouping every line of those keys): at an 835's step on PostgreSQL those two read
    the line balances of the whole table, about 11 ms a step of a 10,000-claim 835."""
    postings = new_rows(session, PostingRow)
    if not postings:
        return
    connection = session.connection()
    changes = flush_line_changes(session, postings)
    _add_open(connection, _deltas_of(connection, {p.claim_id for p in postings}, changes))


event.listen(Session, "after_flush", keep_open_days)


def backfill_open_days(connection: Connection, clinic_id: int | None = None) -> None:
    """Rebuild the rows from the kept line balances (every clinic, or one)."""
    wipe = delete(_DAY)
    if clinic_id is not None:
        wipe = wipe.where(_DAY.clinic_id == clinic_id)
    connection.execute(wipe)
    where = _LINE.clinic_id == clinic_id if clinic_id is not None else _LINE.id.is_not(None)
    connection.execute(insert(_DAY).from_select(_COLUMNS, _grouped(where)))
    if connection.dialect.name == "postgresql":  # planned from its statistics, not as 10 rows
        connection.execute(text(f"ANALYZE {_DAY.__tablename__}"))


def open_day_mismatches(session: Session, clinic_id: int) -> list[str]:
    """The keys whose kept row differs from the line balances grouped afresh, in plain words;
    empty when they agree."""
    want = {tuple(r[:5]): tuple(r[5:]) for r in session.execute(
        _grouped(_LINE.clinic_id == clinic_id))}  # fmt: skip
    kept = select(*(getattr(_DAY, c) for c in _COLUMNS)).where(_DAY.clinic_id == clinic_id)
    have = {tuple(r[:5]): tuple(r[5:]) for r in session.execute(kept)}
    return [
        f"payer {k[1]}, patient {k[2]}, therapist {k[3]}, {k[4]}: kept open (insurance, patient "
        f"cents, claims) {have.get(k)}, the claim lines' {want.get(k)}"
        for k in sorted(want.keys() | have.keys(), key=str)
        if want.get(k) != have.get(k)
    ]
