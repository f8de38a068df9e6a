"""Keeping the dashboard's daily rollups (issue 15; tables in
:mod:`otbill.storage.tables.dashboard_summary`).

Derived data, never the truth. After every flush, in its transaction, :func:`keep_rollups` adds
what the flush's new status changes, postings and denials change, in a few set-based statements
whatever the flush's size (one look-up per kind of fact, one upsert per table); claims stored in
bulk (``ClaimRepository.insert_built``) call :func:`count_first_scrubs`. The open balances follow
the owner's line balances (``claim_line_balance``), whose listener runs first (this module imports
it). :func:`backfill_rollups` rebuilds both tables from the sources (migration 0033, bulk-loaded
benches) and :func:`rollup_mismatches` compares them with the sources summed afresh.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection, Table, case, delete, event, func, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from otbill.storage.repositories.dashboard_rollup_sources import (
    DAY_COUNTERS,
    claim_month_rollups,
    day_rollups,
    denial_cause_rollups,
)
from otbill.storage.repositories.dashboard_unbilled import backfill_unbilled, unbilled_mismatches
from otbill.storage.repositories.id_lists import array_text, one_of
from otbill.storage.repositories.ledger_effects import originals_of
from otbill.storage.repositories.owner_summary import posting_effect
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import ClaimRow, ClaimStatusRow, ClaimVisitRow, DenialRow, PostingRow
from otbill.storage.tables.dashboard_summary import (
    ClaimMonthRow,
    DashboardDayRow,
    DenialCauseDayRow,
)
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = [
    "add_counters",
    "array_params",
    "backfill_rollups",
    "count_first_scrubs",
    "keep_rollups",
    "rollup_mismatches",
]

_DAY_KEY = ("clinic_id", "date_of_service", "payer_id")
_CAUSE_KEY = ("clinic_id", "date_of_service", "group_code", "carc")
Key = tuple[int, dt.date, int]


def add_counters(
    connection: Connection, table: Table, key: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """Add each row's counters to its key's row, made when missing, in key order (two
    transactions touching the same rows lock them in the same order: no deadlock): on
    PostgreSQL one INSERT ... SELECT from arrays, one statement whatever the count (an
    executemany there runs the upsert once a row: 200 rows took 10-14 ms); elsewhere one
    executemany, run in process. Rows of one key are added together first."""
    if not rows:
        return
    counters = tuple(c for c in rows[0] if c not in key)
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        values = merged.setdefault(tuple(row[k] for k in key), [0] * len(counters))
        for n, c in enumerate(counters):
            values[n] += row[c]
    ordered = sorted(merged.items())
    if connection.dialect.name == "postgresql":
        params = array_params((*key, *counters), [(*k, *values) for k, values in ordered])
        connection.execute(_array_upsert(table, key, counters), params)
        return
    dicts = [dict(zip((*key, *counters), (*k, *values), strict=True)) for k, values in ordered]
    connection.execute(_upsert(connection.dialect.name, table, key, counters), dicts)


def array_params(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> dict[str, str]:
    """Rows of values as one array text a column (:func:`.id_lists.array_text`; dates and
    booleans as their text), for a statement that casts each to its column's array type."""
    arrays = zip(*rows, strict=True)
    return {c: array_text(map(_array_value, a)) for c, a in zip(columns, arrays, strict=True)}


def _array_value(value: Any) -> Any:
    """A key's or counter's value as an array element's text (dates, booleans) or int."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, dt.date) else value


@functools.cache
def _array_upsert(table: Table, key: tuple[str, ...], counters: tuple[str, ...]) -> Any:
    """PostgreSQL's upsert of arrays, one a column (cast to its type), adding ``counters`` to
    their key's row; built once per table."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    columns = (*key, *counters)
    arrays = ", ".join(
        f"CAST(:{c} AS {table.c[c].type.compile(dialect=dialect)}[])" for c in columns
    )
    added = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in counters)
    return text(
        f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"
    )


@functools.cache
def _upsert(dialect: str, table: Table, key: tuple[str, ...], counters: tuple[str, ...]) -> Any:
    """The upsert adding ``counters`` to their key's row, built once per table and dialect
    (building its SET clause anew was most of :func:`add_counters`' own time: every flush
    calls it)."""
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[k] for k in key],
        set_={c: table.c[c] + statement.excluded[c] for c in counters},
    )


def _store_days(connection: Connection, deltas: dict[Key, Counter[str]]) -> None:
    rows = [
        {**dict(zip(_DAY_KEY, key, strict=True)), **{c: delta[c] for c in DAY_COUNTERS}}
        for key, delta in deltas.items()
        if any(delta.values())
    ]
    add_counters(connection, DashboardDayRow.__table__, _DAY_KEY, rows)  # type: ignore[arg-type]


def count_first_scrubs(
    connection: Connection, claims: Iterable[tuple[int, dt.date, int, str]]
) -> None:
    """Count new claims' first scrubs: (clinic, day of service, payer, status scrubbed to) of
    claims whose first status change was written in bulk, outside the ORM."""
    deltas: dict[Key, Counter[str]] = defaultdict(Counter)
    for clinic_id, day, payer_id, status in claims:
        deltas[(clinic_id, day, payer_id)].update(scrubbed=1, clean=int(status == "ready"))
    _store_days(connection, deltas)


def _claim_keys(connection: Connection, claim_ids: set[int]) -> dict[int, Key]:
    query = select(ClaimRow.id, ClaimRow.clinic_id, ClaimRow.date_of_service, ClaimRow.payer_id)
    rows = connection.execute(query.where(one_of(ClaimRow.id, claim_ids)))
    return {i: (c, d, p) for i, c, d, p in rows}


def _clinics(keys: dict[int, Key]) -> set[int]:
    """The clinics of the flush's claims (one, in a unit of work): the postings' index leads
    with the clinic, so a look-up by claim without it reads the whole index."""
    return {clinic_id for clinic_id, _, _ in keys.values()}


def _counts(connection: Connection, query: Any) -> dict[Any, int]:
    """(key columns..., count) rows as key -> count (a one-column key unwrapped)."""
    out = {}
    for *key, n in connection.execute(query):
        out[key[0] if len(key) == 1 else tuple(key)] = n
    return out


def _posting_counts(
    connection: Connection, keys: dict[int, Key], claims: Collection[int]
) -> dict[int, tuple[int, int]]:
    """(remittance postings, payments) each of ``claims`` has now, in the database (this
    flush's included): one look-up for :func:`_decided` and :func:`_paid_visits`, by clinic and
    claim (ix_posting_claim leads with the clinic). Claims without postings are absent."""
    if not claims:
        return {}
    query = select(
        PostingRow.claim_id,
        func.count(PostingRow.remittance_id),
        func.count(case((PostingRow.kind == "payment", 1))),
    ).where(PostingRow.clinic_id.in_(_clinics(keys)), one_of(PostingRow.claim_id, claims))
    rows = connection.execute(query.group_by(PostingRow.claim_id))
    return {claim_id: (remitted, paid) for claim_id, remitted, paid in rows}


def _denial_counts(
    connection: Connection, claims: Collection[int]
) -> dict[tuple[int, str, str], int]:
    """How many denials each of ``claims`` has now per group code and CARC (this flush's
    included), in one look-up for :func:`_decided` and :func:`_denial_causes`."""
    if not claims:
        return {}
    denial = DenialRow
    query = select(denial.claim_id, denial.group_code, denial.carc, func.count()).where(
        one_of(denial.claim_id, claims)
    )
    rows = connection.execute(query.group_by(denial.claim_id, denial.group_code, denial.carc))
    return {(claim_id, group, carc): n for claim_id, group, carc, n in rows}


def _first_scrubs(
    connection: Connection,
    statuses: list[ClaimStatusRow],
    keys: dict[int, Key],
    deltas: dict[Key, Counter[str]],
) -> None:
    """Status changes that are their claim's first (the first scrub)."""
    claims = {s.claim_id for s in statuses}
    first = select(ClaimStatusRow.claim_id, func.min(ClaimStatusRow.id)).where(
        one_of(ClaimStatusRow.claim_id, claims)
    )
    earliest = _counts(connection, first.group_by(ClaimStatusRow.claim_id))
    for status in statuses:
        if earliest.get(status.claim_id) == status.id:
            deltas[keys[status.claim_id]].update(scrubbed=1, clean=int(status.to_status == "ready"))


def _postings(
    connection: Connection,
    postings: list[PostingRow],
    keys: dict[int, Key],
    deltas: dict[Key, Counter[str]],
) -> Counter[int]:
    """Payments (reversals netted) and claims' open balances; returns the new payments (not
    reversals) per claim."""
    originals = originals_of(connection, postings)
    moved: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # claim -> insurance, patient
    new_payments: Counter[int] = Counter()
    for posting in postings:
        sign, (kind, side) = 1, (posting.kind, posting.payer_side)
        if posting.reverses_id is not None:
            sign, (kind, side, _) = -1, originals[posting.reverses_id]
        elif kind == "payment":
            new_payments[posting.claim_id] += 1
        if kind == "payment":
            column = "payer_paid_cents" if side else "patient_paid_cents"
            deltas[keys[posting.claim_id]][column] += sign * posting.amount_cents
        insurance, patient = posting_effect(kind, side, posting.amount_cents)
        moved[posting.claim_id][0] += sign * insurance
        moved[posting.claim_id][1] += sign * patient
    _open_balances(connection, moved, keys, deltas)
    return new_payments


def _decided(
    remitted: Counter[int],
    denied: Counter[int],
    now_postings: dict[int, tuple[int, int]],
    now_denials: dict[tuple[int, str, str], int],
    keys: dict[int, Key],
    deltas: dict[Key, Counter[str]],
) -> None:
    """Claims decided (a first remittance posting) and, of them, denied (a first denial), each
    claim's flags before the flush and after it compared: ``remitted`` and ``denied`` are the
    flush's remittance postings and denials per claim, ``now_postings`` and ``now_denials``
    the database's (:func:`_posting_counts`, :func:`_denial_counts`)."""
    now_denied: Counter[int] = Counter()
    for (claim_id, _, _), n in now_denials.items():
        now_denied[claim_id] += n

    def flags(remits: int, denials: int) -> tuple[int, int]:
        return int(remits > 0), int(remits > 0 and denials > 0)

    for claim_id in remitted.keys() | denied.keys():
        r, d = now_postings.get(claim_id, (0, 0))[0], now_denied[claim_id]
        after, before = flags(r, d), flags(r - remitted[claim_id], d - denied[claim_id])
        deltas[keys[claim_id]].update(decided=after[0] - before[0], denied=after[1] - before[1])


def _paid_visits(
    connection: Connection,
    new_payments: Counter[int],
    links: Counter[int],
    now_postings: dict[int, tuple[int, int]],
    keys: dict[int, Key],
    deltas: dict[Key, Counter[str]],
) -> None:
    """A claim's visits count from its first payment on: all it bills then, and any linked
    to it later (``now_postings``: :func:`_posting_counts`, payments second)."""
    paid = {c: p for c, (_, p) in now_postings.items()}
    first = {c for c, n in new_payments.items() if paid.get(c) == n}
    for claim_id, n in links.items():  # linked to a claim paid before this flush
        if claim_id not in first and paid.get(claim_id, 0) > new_payments[claim_id]:
            deltas[keys[claim_id]]["paid_visits"] += n
    if not first:
        return
    query = select(ClaimVisitRow.claim_id, func.count()).where(
        one_of(ClaimVisitRow.claim_id, first)
    )
    for claim_id, n in _counts(connection, query.group_by(ClaimVisitRow.claim_id)).items():
        deltas[keys[claim_id]]["paid_visits"] += n


def _open(insurance: int, patient: int) -> tuple[int, int, int]:
    """What a claim adds to the open balances: all of it when it is owed (> 0), else nothing."""
    return (insurance, patient, 1) if insurance + patient > 0 else (0, 0, 0)


def _open_balances(
    connection: Connection,
    moved: dict[int, list[int]],
    keys: dict[int, Key],
    deltas: dict[Key, Counter[str]],
) -> None:
    """Each claim's open balances after the flush (the owner's line balances, already kept) and
    before it (minus what the flush moved)."""
    line = ClaimLineBalanceRow
    query = select(line.claim_id, func.sum(line.insurance_cents), func.sum(line.patient_cents))
    rows = connection.execute(query.where(one_of(line.claim_id, moved)).group_by(line.claim_id))
    after = {c: (int(a or 0), int(b or 0)) for c, a, b in rows}
    for claim_id, (insurance, patient) in moved.items():
        now = after.get(claim_id, (0, 0))
        new = _open(*now)
        old = _open(now[0] - insurance, now[1] - patient)
        delta = deltas[keys[claim_id]]
        delta["open_insurance_cents"] += new[0] - old[0]
        delta["open_patient_cents"] += new[1] - old[1]
        delta["open_claims"] += new[2] - old[2]


def _denial_causes(
    connection: Connection,
    denials: list[DenialRow],
    stored: dict[tuple[int, str, str], int],
    keys: dict[int, Key],
) -> None:
    """A claim counts once per group code and CARC: from its first denial with them
    (``stored``: the database's denials now, :func:`_denial_counts`)."""
    new = Counter((d.claim_id, d.group_code, d.carc) for d in denials)
    causes: Counter[tuple[int, dt.date, str, str]] = Counter()
    for (claim_id, group, carc), n in new.items():
        if stored.get((claim_id, group, carc)) == n:
            clinic_id, day, _ = keys[claim_id]
            causes[(clinic_id, day, group, carc)] += 1
    rows = [{**dict(zip(_CAUSE_KEY, k, strict=True)), "claims": n} for k, n in causes.items()]
    add_counters(connection, DenialCauseDayRow.__table__, _CAUSE_KEY, rows)  # type: ignore[arg-type]


def keep_rollups(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: the new status changes, postings and denials in their
    claims' day rows (after the owner's summaries, kept by an earlier listener)."""
    statuses = new_rows(session, ClaimStatusRow)
    postings = new_rows(session, PostingRow)
    denials = new_rows(session, DenialRow)
    links = Counter(o.claim_id for o in new_rows(session, ClaimVisitRow))
    if not (statuses or postings or denials or links):
        return
    connection = session.connection()
    claims = {s.claim_id for s in statuses} | {p.claim_id for p in postings}
    claims |= {d.claim_id for d in denials} | set(links)
    keys = _claim_keys(connection, claims)
    deltas: dict[Key, Counter[str]] = defaultdict(Counter)
    if statuses:
        _first_scrubs(connection, statuses, keys, deltas)
    new_payments = _postings(connection, postings, keys, deltas) if postings else Counter()
    remitted = Counter(p.claim_id for p in postings if p.remittance_id is not None)
    denied = Counter(d.claim_id for d in denials)
    decided = remitted.keys() | denied.keys()
    now_postings = _posting_counts(connection, keys, decided | new_payments.keys() | links.keys())
    now_denials = _denial_counts(connection, decided)
    _paid_visits(connection, new_payments, links, now_postings, keys, deltas)
    _decided(remitted, denied, now_postings, now_denials, keys, deltas)
    _store_days(connection, deltas)
    if denials:
        _denial_causes(connection, denials, now_denials, keys)


event.listen(Session, "after_flush", keep_rollups)


#: Each rollup table, its rows summed from the sources, and how many of its columns are the key.
_ROLLUPS: tuple[tuple[Any, Any, int], ...] = (
    (DashboardDayRow, day_rollups, 3),
    (DenialCauseDayRow, denial_cause_rollups, 4),
    (ClaimMonthRow, claim_month_rollups, 5),
)


def backfill_rollups(connection: Connection, clinic_id: int | None = None) -> None:
    """Rebuild the rollups from the sources (every clinic, or one); the owner's line balances
    first (``owner_summary.backfill``): the open balances are summed from them."""
    for table, rollup, _ in _ROLLUPS:
        wipe = delete(table)
        if clinic_id is not None:
            wipe = wipe.where(table.clinic_id == clinic_id)
        connection.execute(wipe)
        query = rollup(clinic_id)
        connection.execute(insert(table).from_select(list(query.selected_columns.keys()), query))
    backfill_unbilled(connection, clinic_id)


def rollup_mismatches(session: Session, clinic_id: int) -> list[str]:
    """The clinic's rollup rows that differ from the sources summed afresh, in plain words;
    empty when they agree (rows of zeros count as absent)."""
    out = unbilled_mismatches(session, clinic_id)
    for table, rollup, width in _ROLLUPS:
        query = rollup(clinic_id)
        names = list(query.selected_columns.keys())
        stored = select(*(table.__table__.c[n] for n in names)).where(table.clinic_id == clinic_id)
        want, have = (
            {tuple(r[:width]): tuple(int(v or 0) for v in r[width:]) for r in session.execute(q)}
            for q in (query, stored)
        )
        for key in sorted(want.keys() | have.keys(), key=str):
            a, b = want.get(key), have.get(key)
            if (a if any(a or ()) else None) != (b if any(b or ()) else None):
                out.append(
                    f"{table.__tablename__} {dict(zip(names[:width], key, strict=True))}: "
                    f"kept {dict(zip(names[width:], b or (), strict=False))}, "
                    f"the sources' {dict(zip(names[width:], a or (), strict=False))}"
                )
    return out
