"""Keeping the dashboard's claims per month of service, payer and status (``claim_month``,
migration 0033).

Derived from the claims themselves, never the truth. After every flush, in its transaction,
:func:`keep_claim_months` counts the new claims in and moves the changed ones (status, charges,
frequency: read from the ORM's attribute history, which a flush still holds) from their old row
to their new one: one upsert whatever the flush's size. Claims stored in bulk
(``ClaimRepository.insert_built``) call :func:`count_built_claims`. The claims page family's
counts by status, the payer mix and the company dashboard read these rows instead of every
claim. ``dashboard_summary.rollup_mismatches`` checks them, ``backfill_rollups`` rebuilds them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from otbill.storage.repositories.dashboard_summary import add_counters
from otbill.storage.repositories.written_rows import new_rows
from otbill.storage.tables import ClaimRow
from otbill.storage.tables.dashboard_summary import ClaimMonthRow

__all__ = ["ClaimStatusMove", "count_built_claims", "keep_claim_months"]

_KEY = ("clinic_id", "month", "payer_id", "status", "void")
_FIELDS = ("date_of_service", "payer_id", "status", "frequency_code", "total_charge_cents")
Key = tuple[int, dt.date, int, str, bool]


def _store(connection: Connection, claims: Counter[Key], cents: Counter[Key]) -> None:
    rows = [
        {**dict(zip(_KEY, key, strict=True)), "claims": claims[key], "charge_cents": cents[key]}
        for key in claims.keys() | cents.keys()
        if claims[key] or cents[key]
    ]
    add_counters(connection, ClaimMonthRow.__table__, _KEY, rows)  # type: ignore[arg-type]


def count_built_claims(
    connection: Connection, built: Iterable[tuple[int, dt.date, int, str, str, int]]
) -> None:
    """Count claims written in bulk, outside the ORM: (clinic, day of service, payer, status,
    frequency code, billed cents) each."""
    claims: Counter[Key] = Counter()
    cents: Counter[Key] = Counter()
    for clinic_id, day, payer_id, status, frequency, charge in built:
        key = (clinic_id, day.replace(day=1), payer_id, status, frequency == "8")
        claims[key] += 1
        cents[key] += charge
    _store(connection, claims, cents)


def _values(row: ClaimRow, before: bool) -> tuple[Key, int]:
    """The claim's row key and billed cents as flushed (or, ``before``, as they were)."""
    state = inspect(row)
    values: dict[str, Any] = {}
    for name in _FIELDS:
        history = state.attrs[name].history
        values[name] = history.deleted[0] if before and history.deleted else getattr(row, name)
    key = _key(row.clinic_id, values["date_of_service"], values["payer_id"], values["status"],
               values["frequency_code"])  # fmt: skip
    return key, int(values["total_charge_cents"] or 0)


def _key(clinic_id: int, day: dt.date, payer_id: int, status: str, frequency: str | None) -> Key:
    return (clinic_id, day.replace(day=1), payer_id, status, (frequency or "1") == "8")


@dataclass(frozen=True, slots=True)
class ClaimStatusMove:
    """A claim's status changed by a plain UPDATE (an 835's batch of claims,
    :mod:`.remittance_batch`), which no flush sees: handed to the listeners with
    :func:`.written_rows.keep_written`."""

    clinic_id: int
    date_of_service: dt.date
    payer_id: int
    frequency_code: str | None
    total_charge_cents: int | None
    before: str
    after: str

    def keys(self) -> tuple[Key, Key]:
        return tuple(  # type: ignore[return-value]
            _key(self.clinic_id, self.date_of_service, self.payer_id, status, self.frequency_code)
            for status in (self.before, self.after)
        )


def keep_claim_months(session: Session, _context: Any) -> None:
    """After a flush, in its transaction: new claims counted, changed ones moved."""
    claims: Counter[Key] = Counter()
    cents: Counter[Key] = Counter()
    for row in session.new:
        if isinstance(row, ClaimRow):
            key, charge = _values(row, before=False)
            claims[key] += 1
            cents[key] += charge
    for row in session.dirty:
        if isinstance(row, ClaimRow) and session.is_modified(row, include_collections=False):
            (old, was), (new, now) = _values(row, before=True), _values(row, before=False)
            if (old, was) != (new, now):
                claims[old] -= 1  # (old and new may be one key: a charge changed)
                claims[new] += 1
                cents[old] -= was
                cents[new] += now
    for move in new_rows(session, ClaimStatusMove):
        old, new = move.keys()
        claims[old] -= 1
        claims[new] += 1
        cents[old] -= move.total_charge_cents or 0
        cents[new] += move.total_charge_cents or 0
    if claims or cents:
        _store(session.connection(), claims, cents)


event.listen(Session, "after_flush", keep_claim_months)
