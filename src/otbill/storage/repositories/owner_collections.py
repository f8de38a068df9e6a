"""Keeping ``collection_day`` (issue 14, migration 0034): the ledger's charges, contractual
adjustments and payments per clinic and day of service
(:mod:`otbill.storage.tables.owner_collections`), reversals netted.

One SELECT defines the sums (:func:`collection_sums`); the ``after_flush`` listener sums the
flush's new postings the same way in Python and adds the result to the days' rows (one upsert);
:func:`backfill_collection_days` runs it over a clinic's whole ledger (migration 0034,
bulk-loaded benches) and :func:`collection_day_mismatches` compares the kept rows with it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from otbill.storage.repositories.dashboard_summary import add_counters
from otbill.storage.repositories.id_lists import ids_per_statement, one_of
from otbill.storage.repositories.ledger_effects import (
    AMOUNT,
    KIND,
    ORIGINAL,
    PAYER_SIDE,
    originals_of,
)
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import ClaimRow, PostingRow
from otbill.storage.tables.owner_collections import CollectionDayRow

__all__ = [
    "backfill_collection_days",
    "collection_day_mismatches",
    "collection_sums",
    "keep_collection_days",
]

_DAY = CollectionDayRow
_SUMS = ("charge_cents", "contractual_cents", "payer_paid_cents", "patient_paid_cents")
_KEY = ("clinic_id", "date_of_service")
_COLUMNS = (*_KEY, *_SUMS)
_GROUP = sa.case((PostingRow.kind == "reversal", ORIGINAL.group_code), else_=PostingRow.group_code)


def _total(condition: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, AMOUNT), else_=0)), 0)


def collection_sums(where: Any) -> Any:
    """(clinic, day of service, charges, CO adjustments, payer payments, patient payments) of
    the postings matching ``where``, by their claims' day of service, reversals netted."""
    return (
        sa.select(
            ClaimRow.clinic_id,
            ClaimRow.date_of_service,
            _total(KIND == "charge"),
            _total(sa.and_(KIND == "adjustment", _GROUP == "CO")),
            _total(sa.and_(KIND == "payment", PAYER_SIDE.is_(True))),
            _total(sa.and_(KIND == "payment", PAYER_SIDE.is_(False))),
        )
        .select_from(PostingRow)
        .outerjoin(ORIGINAL, ORIGINAL.id == PostingRow.reverses_id)
        .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
        .where(where)
        .group_by(ClaimRow.clinic_id, ClaimRow.date_of_service)
    )


def _days_of(connection: sa.Connection, claim_ids: set[int]) -> dict[int, tuple[int, Any]]:
    """Claim id -> (clinic, day of service): the key its postings are summed under."""
    ids, out = sorted(claim_ids), dict[int, tuple[int, Any]]()
    query = sa.select(ClaimRow.id, ClaimRow.clinic_id, ClaimRow.date_of_service)
    for start in range(0, len(ids), step := ids_per_statement(connection)):
        rows = connection.execute(query.where(one_of(ClaimRow.id, ids[start : start + step])))
        out.update((i, (clinic_id, day)) for i, clinic_id, day in rows)
    return out


def _flush_sums(connection: sa.Connection, postings: list[PostingRow]) -> list[dict[str, Any]]:
    """:func:`collection_sums` of these postings, summed in Python from their rows, their
    claims' days and the postings they reverse (a day of the flush with nothing to add gets
    its row of zeros, as the SQL's group does)."""
    days = _days_of(connection, {p.claim_id for p in postings})
    originals = originals_of(connection, (p for p in postings if p.kind == "reversal"))
    sums: dict[tuple[int, Any], list[int]] = {}
    for p in postings:
        if p.claim_id not in days:  # the SQL's inner join with the claim
            continue
        kind, side, group, cents = p.kind, p.payer_side, p.group_code, p.amount_cents
        if kind == "reversal":  # the original's kind, side and group, its amount taken back
            (kind, side, group), cents = originals.get(p.reverses_id or 0, (None,) * 3), -cents
        day = sums.setdefault(days[p.claim_id], [0, 0, 0, 0])
        if kind == "charge":
            day[0] += cents
        elif kind == "adjustment" and group == "CO":
            day[1] += cents
        elif kind == "payment" and side is not None:
            day[2 if side else 3] += cents
    return [dict(zip(_COLUMNS, (*key, *totals), strict=True)) for key, totals in sums.items()]


def keep_collection_days(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: add the new postings to their days' rows: summed in
    Python from the flush's rows (a look-up of their claims' days and of any originals they
    reverse, by id), then added with one upsert (:func:`.dashboard_summary.add_counters`, in key
    order). Not :func:`collection_sums` over the postings' ids: at 2,000 postings a step that
    SELECT read them all again and joined every claim (about 10 ms a step of a 10,000-claim
    835); the sums stay the SQL's, which :func:`collection_day_mismatches` checks."""
    postings = new_rows(session, PostingRow)
    if postings:
        connection = session.connection()
        add_counters(connection, _DAY.__table__, _KEY, _flush_sums(connection, postings))  # type: ignore[arg-type]


sa.event.listen(Session, "after_flush", keep_collection_days)


def backfill_collection_days(connection: sa.Connection, clinic_id: int | None = None) -> None:
    """Rebuild the rows from the ledger (every clinic, or one)."""
    wipe = sa.delete(_DAY)
    where: Any = PostingRow.id.is_not(None)
    if clinic_id is not None:
        wipe, where = wipe.where(_DAY.clinic_id == clinic_id), PostingRow.clinic_id == clinic_id
    connection.execute(wipe)
    connection.execute(sa.insert(_DAY).from_select(_COLUMNS, collection_sums(where)))
    if connection.dialect.name == "postgresql":  # planned from its statistics, not as 10 rows
        connection.execute(sa.text(f"ANALYZE {_DAY.__tablename__}"))


def collection_day_mismatches(session: Session, clinic_id: int) -> list[str]:
    """The days whose kept row differs from the ledger summed afresh, in plain words; empty
    when they agree (a day whose postings net to nothing may keep a row of zeros)."""
    want = {r[1]: tuple(int(v) for v in r[2:]) for r in session.execute(
        collection_sums(PostingRow.clinic_id == clinic_id))}  # fmt: skip
    kept = sa.select(_DAY.date_of_service, *(getattr(_DAY, c) for c in _SUMS)).where(
        _DAY.clinic_id == clinic_id
    )
    have = {r[0]: tuple(r[1:]) for r in session.execute(kept)}
    zero = (0,) * len(_SUMS)
    return [
        f"{day}: kept (charges, contractual adjustments, payer payments, patient payments) "
        f"{have.get(day)}, the ledger's {want.get(day)}"
        for day in sorted(want.keys() | have.keys())
        if want.get(day, zero) != have.get(day, zero)
    ]
