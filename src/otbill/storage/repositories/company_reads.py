"""What a company user sees across their granted clinics: the cross-clinic work queue and the
per-clinic dashboard figures, each one query over ``clinic_id IN (granted)``.

Both layers hold: every query filters on the granted clinic ids itself, and its session is
scoped to those clinics (``Database.clinics_session``), so on PostgreSQL row-level security
returns nothing else even if a filter were wrong. One query per figure, grouped by clinic, is
what keeps the dashboard fast at 200 clinics (never a unit of work per clinic).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from otbill.storage.repositories.unbilled import unbilled_visit
from otbill.storage.tables import (
    ClaimRow,
    ClinicRow,
    PatientRow,
    PayerRow,
    VisitRow,
)
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["ClinicFigures", "CompanyReads", "CrossClinicClaim", "ScopedSessions"]


class ScopedSessions(Protocol):
    def clinics_session(self, clinic_ids: Sequence[int]) -> Session: ...


@dataclass(frozen=True, slots=True)
class CrossClinicClaim:
    id: int
    clinic_id: int
    clinic_code: str
    clinic_name: str
    number: str
    status: str
    date_of_service: dt.date
    charge_cents: int
    payer: str
    patient: str


@dataclass
class ClinicFigures:
    """One clinic's line on the company dashboard (cents and counts)."""

    clinic_id: int
    receivable_cents: int = 0
    by_status: dict[str, int] | None = None
    denied: int = 0
    denied_cents: int = 0
    unbilled_visits: int = 0


class CompanyReads:
    """Reads over ``clinic_ids`` only (a company user's live grants)."""

    def __init__(self, db: ScopedSessions, clinic_ids: Sequence[int]) -> None:
        self._db, self.clinic_ids = db, sorted(set(clinic_ids))

    def _queue_where(
        self, statuses: Sequence[str], clinic_id: int | None, search: str
    ) -> list[Any]:
        wanted = [clinic_id] if clinic_id in self.clinic_ids else self.clinic_ids
        where: list[Any] = [ClaimRow.clinic_id.in_(wanted), ClaimRow.status.in_(statuses)]
        if search:
            like = f"%{search.lower()}%"
            where.append(
                or_(
                    func.lower(ClaimRow.number).like(like),
                    func.lower(PatientRow.last_name).like(like),
                    func.lower(PayerRow.name).like(like),
                )
            )
        return where

    def queue(
        self,
        statuses: Sequence[str],
        *,
        clinic_id: int | None = None,
        search: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[int, list[CrossClinicClaim]]:
        """(claims matching, one page of them oldest service first) across the clinics."""
        if not self.clinic_ids:
            return 0, []
        joined = select(ClaimRow.id).where(*self._queue_where(statuses, clinic_id, search))
        if search:  # only a search reads the patient's and payer's names: else the queue index
            joined = joined.join(PatientRow, PatientRow.id == ClaimRow.patient_id).join(
                PayerRow, PayerRow.id == ClaimRow.payer_id
            )
        page = (
            select(
                ClaimRow.id,
                ClaimRow.clinic_id,
                ClinicRow.code,
                ClinicRow.name,
                ClaimRow.number,
                ClaimRow.status,
                ClaimRow.date_of_service,
                ClaimRow.total_charge_cents,
                PayerRow.name,
                PatientRow.first_name,
                PatientRow.last_name,
            )
            .join(ClinicRow, ClinicRow.id == ClaimRow.clinic_id)
            .join(PatientRow, PatientRow.id == ClaimRow.patient_id)
            .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
            .where(*self._queue_where(statuses, clinic_id, search))
            .order_by(ClaimRow.date_of_service, ClaimRow.id)
            .offset(offset)
            .limit(limit)
        )
        with self._db.clinics_session(self.clinic_ids) as session:
            total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
            rows = session.execute(page).all()
        return total, [
            CrossClinicClaim(i, c, code, name, num, st, on, cents, payer, f"{first} {last}")
            for i, c, code, name, num, st, on, cents, payer, first, last in rows
        ]

    def figures(self) -> dict[int, ClinicFigures]:
        """Per clinic: receivables (open insurance and patient balances), claims by status,
        denied claims, and visits no claim bills yet."""
        figures = {cid: ClinicFigures(cid, by_status={}) for cid in self.clinic_ids}
        if not figures:
            return figures
        with self._db.clinics_session(self.clinic_ids) as session:
            for clinic_id, status, n, cents in session.execute(self._status_query()):
                line = figures[clinic_id]
                assert line.by_status is not None
                line.by_status[status] = n
                if status == "denied":
                    line.denied, line.denied_cents = n, int(cents or 0)
            for clinic_id, cents in session.execute(self._receivable_query()):
                figures[clinic_id].receivable_cents = int(cents or 0)
            for clinic_id, n in session.execute(self._unbilled_query()):
                figures[clinic_id].unbilled_visits = n
        return figures

    def _status_query(self) -> Any:
        return (
            select(
                ClaimRow.clinic_id,
                ClaimRow.status,
                func.count(),
                func.sum(ClaimRow.total_charge_cents),
            )
            .where(ClaimRow.clinic_id.in_(self.clinic_ids))
            .group_by(ClaimRow.clinic_id, ClaimRow.status)
        )

    def _receivable_query(self) -> Any:
        """Open insurance and patient balances, from the line balances the ledger keeps beside
        every posting (the owner's summary table): one narrow row a line, not every posting."""
        line = ClaimLineBalanceRow
        return (
            select(line.clinic_id, func.sum(line.insurance_cents + line.patient_cents))
            .where(line.clinic_id.in_(self.clinic_ids))
            .group_by(line.clinic_id)
        )

    def _unbilled_query(self) -> Any:
        return (
            select(VisitRow.clinic_id, func.count())
            .where(VisitRow.clinic_id.in_(self.clinic_ids), unbilled_visit())
            .group_by(VisitRow.clinic_id)
        )
