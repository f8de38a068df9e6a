"""The dashboard's daily rollups summed afresh from their sources (the truth the kept rows must
equal): the status history's first scrubs, the ledger's payments, the visits of paid claims, the
owner's line balances of claims still owed, the claims payers decided, the denials and the claims. Used to backfill the rollups
(migration 0033, bulk-loaded benches) and to check them (``rollup_mismatches``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, case, func, literal_column, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from otbill.storage.repositories.ledger_effects import (
    AMOUNT,
    ORIGINAL,
    PAYER_SIDE,
    PAYMENT,
    decided_and_denied,
)
from otbill.storage.tables import ClaimRow, ClaimStatusRow, ClaimVisitRow, DenialRow, PostingRow
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["DAY_COUNTERS", "claim_month_rollups", "day_rollups", "denial_cause_rollups"]

#: The counters of a day row (``dashboard_day``), in order.
DAY_COUNTERS = (
    "scrubbed",
    "clean",
    "payer_paid_cents",
    "patient_paid_cents",
    "paid_visits",
    "open_insurance_cents",
    "open_patient_cents",
    "open_claims",
    "decided",
    "denied",
)
_KEY = (ClaimRow.clinic_id, ClaimRow.date_of_service, ClaimRow.payer_id)


def _part(query: Any, **counters: Any) -> Any:
    """The query with the claim's key and every counter, zero unless given."""
    columns = [c.label(n) for c, n in zip(_KEY, ("clinic_id", "date_of_service", "payer_id"),
                                          strict=True)]  # fmt: skip
    columns += [counters.get(n, literal_column("0")).label(n) for n in DAY_COUNTERS]
    return query.with_only_columns(*columns).group_by(*_KEY)


def _first_scrubs(clinic_id: int | None) -> Any:
    first = select(ClaimStatusRow.claim_id, func.min(ClaimStatusRow.id).label("id"))
    if clinic_id is not None:
        first = first.where(ClaimStatusRow.clinic_id == clinic_id)
    f = first.group_by(ClaimStatusRow.claim_id).subquery()
    history = aliased(ClaimStatusRow)
    query = (
        select(ClaimRow.id)
        .select_from(f)
        .join(history, history.id == f.c.id)
        .join(ClaimRow, ClaimRow.id == f.c.claim_id)
    )
    clean = func.sum(case((history.to_status == "ready", 1), else_=0))
    return _part(query, scrubbed=func.count(), clean=clean)


def _payments(clinic_id: int | None) -> Any:
    query = (
        select(ClaimRow.id)
        .select_from(PostingRow)
        .outerjoin(ORIGINAL, ORIGINAL.id == PostingRow.reverses_id)
        .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
        .where(PostingRow.kind.in_(("payment", "reversal")), PAYMENT)
    )
    if clinic_id is not None:
        query = query.where(PostingRow.clinic_id == clinic_id)
    return _part(
        query,
        payer_paid_cents=func.sum(case((PAYER_SIDE.is_(True), AMOUNT), else_=0)),
        patient_paid_cents=func.sum(case((PAYER_SIDE.is_(False), AMOUNT), else_=0)),
    )


def _paid_visits(clinic_id: int | None) -> Any:
    paid = select(PostingRow.claim_id).where(PostingRow.kind == "payment")
    query = select(ClaimRow.id).select_from(ClaimVisitRow)
    if clinic_id is not None:
        paid = paid.where(PostingRow.clinic_id == clinic_id)
        query = query.where(ClaimVisitRow.clinic_id == clinic_id)
    query = query.join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id).where(
        ClaimVisitRow.claim_id.in_(paid)
    )
    return _part(query, paid_visits=func.count(ClaimVisitRow.id))


def _open_balances(clinic_id: int | None) -> Any:
    line = ClaimLineBalanceRow
    insurance, patient = func.sum(line.insurance_cents), func.sum(line.patient_cents)
    per_claim = select(line.claim_id, insurance.label("insurance"), patient.label("patient"))
    if clinic_id is not None:
        per_claim = per_claim.where(line.clinic_id == clinic_id)
    owed = per_claim.group_by(line.claim_id).having(insurance + patient > 0).subquery()
    query = select(ClaimRow.id).select_from(owed).join(ClaimRow, ClaimRow.id == owed.c.claim_id)
    return _part(
        query,
        open_insurance_cents=func.sum(owed.c.insurance),
        open_patient_cents=func.sum(owed.c.patient),
        open_claims=func.count(),
    )


def _decided(clinic_id: int | None) -> Any:
    """Claims a payer decided (a remittance posted to them) and, of them, those with a denial
    (as the owner's ``claim_outcome`` flags them)."""
    d, n = decided_and_denied(clinic_id)
    query = (
        select(ClaimRow.id)
        .select_from(d)
        .join(ClaimRow, ClaimRow.id == d.c.claim_id)
        .outerjoin(n, n.c.claim_id == d.c.claim_id)
    )
    return _part(query, decided=func.count(), denied=func.count(n.c.claim_id))


def day_rollups(clinic_id: int | None = None) -> Any:
    """(clinic, day of service, payer, every counter) of every clinic, or one."""
    parts = union_all(*(part(clinic_id) for part in
                        (_first_scrubs, _payments, _paid_visits, _open_balances, _decided))).subquery()  # fmt: skip
    key = [parts.c.clinic_id, parts.c.date_of_service, parts.c.payer_id]
    return select(*key, *(func.sum(parts.c[n]).label(n) for n in DAY_COUNTERS)).group_by(*key)


def denial_cause_rollups(clinic_id: int | None = None) -> Any:
    """(clinic, day of service, group code, CARC, claims denied with them)."""
    per_claim = select(DenialRow.claim_id, DenialRow.group_code, DenialRow.carc).distinct()
    if clinic_id is not None:
        per_claim = per_claim.where(DenialRow.clinic_id == clinic_id)
    d = per_claim.subquery()
    return (
        select(ClaimRow.clinic_id, ClaimRow.date_of_service, d.c.group_code, d.c.carc,
               func.count().label("claims"))
        .select_from(d)
        .join(ClaimRow, ClaimRow.id == d.c.claim_id)
        .group_by(ClaimRow.clinic_id, ClaimRow.date_of_service, d.c.group_code, d.c.carc)
    )  # fmt: skip


class month_start(FunctionElement[dt.date]):
    """The first day of a date's month (SQL)."""

    type = Date()
    inherit_cache = True


@compiles(month_start)
def _month_start_default(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def claim_month_rollups(clinic_id: int | None = None) -> Any:
    """(clinic, month of service, payer, status, void, claims, billed cents)."""
    void = (ClaimRow.frequency_code == "8").label("void")
    month = month_start(ClaimRow.date_of_service).label("month")
    key = (ClaimRow.clinic_id, month, ClaimRow.payer_id, ClaimRow.status, void)
    query = select(*key, func.count().label("claims"),
                   func.sum(ClaimRow.total_charge_cents).label("charge_cents"))  # fmt: skip
    if clinic_id is not None:
        query = query.where(ClaimRow.clinic_id == clinic_id)
    return query.group_by(*key)
