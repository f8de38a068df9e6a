"""Keeping ``open_balance_day`` (issue 14, migration 0034): the open claim lines summed per payer,
patient, therapist and day of service (:mod:`otbill.storage.tables.owner_open`).

Derived from ``claim_line_balance``, which :mod:`.owner_summary` keeps from the ledger in the same
flush; this module's ``after_flush`` listener is registered after that one (it imports it first),
so it reads the line balances as the flush left them. A flush with postings refreshes the rows of
the keys its claim lines fall in, set-based: one DELETE and one INSERT ... SELECT (per 500 lines on SQLite).
:func:`backfill_open_days` rebuilds a clinic (migration 0034, bulk-loaded benches) and
:func:`open_day_mismatches` compares the kept rows with the line balances grouped afresh.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, event, func, insert, select, text, true, tuple_
from sqlalchemy.orm import Session

from otbill.storage.repositories import owner_summary  # noqa: F401  (its listener runs first)
from otbill.storage.repositories.id_lists import ids_per_statement, one_of
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import PostingRow
from otbill.storage.tables.owner_open import OpenBalanceDayRow
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["backfill_open_days", "keep_open_days", "open_day_mismatches"]

_LINE = ClaimLineBalanceRow
_DAY = OpenBalanceDayRow
_KEYS = ("clinic_id", "payer_id", "patient_id", "provider_id", "date_of_service")
_COLUMNS = (*_KEYS, "insurance_cents", "patient_cents", "claims")


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


def _refresh(connection: Connection, line_ids: list[int]) -> None:
    """Recompute the rows of every key these claim lines fall in."""
    touched = (
        select(*(getattr(_LINE, k) for k in _KEYS))
        .where(one_of(_LINE.claim_line_id, line_ids))
        .distinct()
    )
    day_key = tuple_(*(getattr(_DAY, k) for k in _KEYS))
    connection.execute(delete(_DAY).where(day_key.in_(touched)))
    fresh = _grouped(true(), touched.subquery())
    connection.execute(insert(_DAY).from_select(_COLUMNS, fresh))


def keep_open_days(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: refresh the open-balance rows of the claim lines the
    flush's postings moved (their line balances were kept by :mod:`.owner_summary` first)."""
    lines = sorted({o.claim_line_id for o in new_rows(session, PostingRow)})
    if not lines:
        return
    connection = session.connection()
    for start in range(0, len(lines), step := ids_per_statement(connection)):
        _refresh(connection, lines[start : start + step])


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
