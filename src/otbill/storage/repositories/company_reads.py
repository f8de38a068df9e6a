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

from sqlalchemy import and_, func, select, union, union_all
from sqlalchemy.orm import Session

from otbill.storage.repositories.report_claim_search import contains_text
from otbill.storage.tables import (
    ClaimRow,
    ClinicRow,
    PatientRow,
    PayerRow,
)
from otbill.storage.tables.dashboard_summary import (
    ClaimMonthRow,
    DashboardDayRow,
    UnbilledVisitRow,
)

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

    def _scope(self, statuses: Sequence[str], clinic_id: int | None) -> list[Any]:
        wanted = [clinic_id] if clinic_id in self.clinic_ids else self.clinic_ids
        return [ClaimRow.clinic_id.in_(wanted), ClaimRow.status.in_(statuses)]

    def _page(self, statuses: Sequence[str], clinic_id: int | None, offset: int, limit: int) -> Any:
        """A page of claim ids, oldest service first. Each status's first ``offset + limit``
        claims in order (the cross-clinic ``ix_claim_status_served``, walked in order and left
        after them; over few clinics the planner takes ``ix_claim_queue``), then merged: never a
        sort of every claim in the statuses."""
        order = (ClaimRow.date_of_service, ClaimRow.id)
        firsts = [
            select(ClaimRow.date_of_service.label("dos"), ClaimRow.id.label("cid"))
            .where(*self._scope((status,), clinic_id))
            .order_by(*order)
            .limit(offset + limit)
            .subquery()
            for status in statuses
        ]
        if len(firsts) == 1:
            merged = firsts[0]
        else:
            merged = union_all(*(select(first.c.dos, first.c.cid) for first in firsts)).subquery()
        return select(merged.c.cid).order_by(merged.c.dos, merged.c.cid).offset(offset).limit(limit)

    def _matches(self, statuses: Sequence[str], clinic_id: int | None, search: str) -> Any:
        """(id, date of service) of the claims whose number, patient's last name or payer's name
        holds ``search``: three parts each led by an index (the number's and the last name's
        trigram indexes on PostgreSQL, a clinic's few payers), not every claim joined to names."""
        where = self._scope(statuses, clinic_id)
        granted = self.clinic_ids
        patients = (
            select(PatientRow.clinic_id, PatientRow.id)
            .where(PatientRow.clinic_id.in_(granted), contains_text(PatientRow.last_name, search))
            .subquery()
        )
        payers = (
            select(PayerRow.clinic_id, PayerRow.id)
            .where(PayerRow.clinic_id.in_(granted), contains_text(PayerRow.name, search))
            .subquery()
        )
        found = select(ClaimRow.id.label("cid"), ClaimRow.date_of_service.label("dos"))
        of_patient = and_(
            patients.c.clinic_id == ClaimRow.clinic_id, patients.c.id == ClaimRow.patient_id
        )
        of_payer = and_(payers.c.clinic_id == ClaimRow.clinic_id, payers.c.id == ClaimRow.payer_id)
        return union(
            found.where(*where, contains_text(ClaimRow.number, search)),
            found.join(patients, of_patient).where(*where),
            found.join(payers, of_payer).where(*where),
        ).subquery()

    def _searched(
        self, session: Session, matches: Any, offset: int, limit: int
    ) -> tuple[int, list[int]]:
        """(matches in all, one page of their ids): the count rides on the page's rows."""
        page = (
            select(matches.c.cid, func.count().over())
            .order_by(matches.c.dos, matches.c.cid)
            .offset(offset)
            .limit(limit)
        )
        rows = session.execute(page).all()
        if rows:
            return int(rows[0][1]), [cid for cid, _ in rows]
        total = session.scalar(select(func.count()).select_from(matches))  # past the last page
        return int(total or 0), []

    def _rows(self, ids: Sequence[int]) -> Any:
        return (
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
            .where(ClaimRow.clinic_id.in_(self.clinic_ids), ClaimRow.id.in_(ids))
            .order_by(ClaimRow.date_of_service, ClaimRow.id)
        )

    def queue(
        self,
        statuses: Sequence[str],
        *,
        clinic_id: int | None = None,
        search: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[int, list[CrossClinicClaim]]:
        """(claims matching, one page of them oldest service first) across the clinics.

        Without a search the count reads ``ix_claim_queue`` alone (index-only) and the page walks
        the statuses' index ranges in order; a search counts and pages its matches in one query.
        Only the page's claims are joined to their clinic, patient and payer names.
        """
        if not self.clinic_ids:
            return 0, []
        with self._db.clinics_session(self.clinic_ids) as session:
            if search:
                matches = self._matches(statuses, clinic_id, search)
                total, ids = self._searched(session, matches, offset, limit)
            else:
                counted = select(func.count()).where(*self._scope(statuses, clinic_id))
                total = int(session.scalar(counted.select_from(ClaimRow)) or 0)
                ids = list(session.scalars(self._page(statuses, clinic_id, offset, limit)))
            rows = session.execute(self._rows(ids)).all() if ids else []
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
        """Claims and their charges by status, from the dashboard's kept ``claim_month`` rows (one
        per month, payer and status) rather than every claim."""
        day = ClaimMonthRow
        return (
            select(day.clinic_id, day.status, func.sum(day.claims), func.sum(day.charge_cents))
            .where(day.clinic_id.in_(self.clinic_ids))
            .group_by(day.clinic_id, day.status)
            .having(func.sum(day.claims) > 0)
        )

    def _receivable_query(self) -> Any:
        """Open insurance and patient balances of the claims still owed, as each clinic's own
        dashboard shows its A/R (a credit on an overpaid claim is not netted against them), from
        the kept day rows (``dashboard_day``): one row a day and payer, not one a claim line."""
        day = DashboardDayRow
        owed = func.sum(day.open_insurance_cents + day.open_patient_cents)
        return (
            select(day.clinic_id, owed)
            .where(day.clinic_id.in_(self.clinic_ids))
            .group_by(day.clinic_id)
        )

    def _unbilled_query(self) -> Any:
        """Visits no claim bills yet, from the kept set (``unbilled_visit``), not every visit."""
        kept = UnbilledVisitRow
        return (
            select(kept.clinic_id, func.count())
            .where(kept.clinic_id.in_(self.clinic_ids))
            .group_by(kept.clinic_id)
        )
