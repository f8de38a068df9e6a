"""The dashboard's aggregates: every figure summed in the database, never a row per claim.

Each query covers one clinic and, where it says so, claims with a date of service in
``[first, end)``; rows come back per day (or per payer), and the dashboard folds days into months,
which keeps the SQL the same on SQLite and PostgreSQL. Ledger balances follow
:mod:`otbill.domain.ledger` exactly (a reversal negates the posting it reverses; a transfer moves
the payer's share to the patient). Named queries return plain tuples; ORM rows stay in storage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.ledger_effects import AMOUNT as _AMOUNT
from otbill.storage.repositories.ledger_effects import ORIGINAL as _ORIGINAL
from otbill.storage.repositories.ledger_effects import PAYER_SIDE as _PAYER_SIDE
from otbill.storage.repositories.ledger_effects import PAYMENT as _PAYMENT
from otbill.storage.repositories.owner_summary import decided_claims_by
from otbill.storage.tables import (
    ClaimRow,
    ClaimStatusRow,
    ClaimVisitRow,
    DenialRow,
    OverheadCostRow,
    PostingRow,
    VisitRow,
)
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["DashboardReports"]


def _served(first: dt.date, end: dt.date) -> list[ColumnElement[bool]]:
    return [ClaimRow.date_of_service >= first, ClaimRow.date_of_service < end]


class DashboardReports(ClinicScoped):
    """Aggregates for the owner's dashboard: claims, denials, ledger balances, visits, overhead."""

    def _aggregate(self, query: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.execute(query)]

    def first_scrubs(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day of service, status the first scrub moved the claim to, claims)."""
        history = aliased(ClaimStatusRow)
        earliest = (
            select(func.min(history.id))
            .where(history.claim_id == ClaimRow.id)
            .correlate(ClaimRow)
            .scalar_subquery()
        )
        query = (
            select(ClaimRow.date_of_service, ClaimStatusRow.to_status, func.count())
            .join(ClaimStatusRow, ClaimStatusRow.id == earliest)
            .where(ClaimRow.clinic_id == self.clinic_id, *_served(first, end))
            .group_by(ClaimRow.date_of_service, ClaimStatusRow.to_status)
        )
        return self._aggregate(query)

    def claims_by_payer(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(payer id, claims, billed cents), void claims excluded."""
        query = (
            select(ClaimRow.payer_id, func.count(), func.sum(ClaimRow.total_charge_cents))
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.frequency_code != "8")
            .where(*_served(first, end))
            .group_by(ClaimRow.payer_id)
        )
        return self._aggregate(query)

    def overhead(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(month, overhead cents) of the months in ``[first, end)``."""
        query = (
            select(OverheadCostRow.month, func.sum(OverheadCostRow.amount_cents))
            .where(OverheadCostRow.clinic_id == self.clinic_id)
            .where(OverheadCostRow.month >= first, OverheadCostRow.month < end)
            .group_by(OverheadCostRow.month)
        )
        return self._aggregate(query)

    def visits_per_day(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day, visits) of the days in ``[first, end)``."""
        query = (
            select(VisitRow.date, func.count())
            .where(VisitRow.clinic_id == self.clinic_id)
            .where(and_(VisitRow.date >= first, VisitRow.date < end))
            .group_by(VisitRow.date)
        )
        return self._aggregate(query)

    def decided_claims(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day of service, payer id, decided claims, of them denied); decided: a remittance was
        posted to the claim (the payer paid, reduced or denied it), as kept in
        ``claim_outcome``."""
        return decided_claims_by(self.session, self.clinic_id, "payer", first, end)

    def denial_causes(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day of service, group code, CARC, denied claims)."""
        query = (
            select(
                ClaimRow.date_of_service,
                DenialRow.group_code,
                DenialRow.carc,
                func.count(func.distinct(DenialRow.claim_id)),
            )
            .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
            .where(DenialRow.clinic_id == self.clinic_id, *_served(first, end))
            .group_by(ClaimRow.date_of_service, DenialRow.group_code, DenialRow.carc)
        )
        return self._aggregate(query)

    def open_balances(self) -> list[tuple[Any, ...]]:
        """(day of service, insurance cents, patient cents, claims) of claims still owed, from
        the kept line balances (``claim_line_balance``; lines settled to zero left out)."""
        line = ClaimLineBalanceRow
        payer, patient = func.sum(line.insurance_cents), func.sum(line.patient_cents)
        per_claim = (
            select(line.date_of_service.label("day"), payer.label("payer"),
                   patient.label("patient"))
            .where(line.clinic_id == self.clinic_id)
            .where(or_(line.insurance_cents != 0, line.patient_cents != 0))
            .group_by(line.claim_id, line.date_of_service)
            .having(payer + patient > 0)
            .subquery()
        )  # fmt: skip
        query = select(
            per_claim.c.day,
            func.sum(per_claim.c.payer),
            func.sum(per_claim.c.patient),
            func.count(),
        ).group_by(per_claim.c.day)
        # PostgreSQL sums integers as numeric (Decimal); the A/R chart adds them to floats
        rows = self.session.execute(query)
        return [(day, int(payer), int(patient), n) for day, payer, patient, n in rows]

    def has_charges(self) -> bool:
        """Whether any charge was ever posted (claims enter A/R when approved)."""
        query = select(PostingRow.id).where(
            PostingRow.clinic_id == self.clinic_id, PostingRow.kind == "charge"
        )
        return self.session.scalar(query.limit(1)) is not None

    def payments_by_payer(self, first: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
        """Payer id -> (cents paid by the payer, cents paid by patients), reversals netted."""
        query = (
            select(
                ClaimRow.payer_id,
                func.sum(case((_PAYER_SIDE.is_(True), _AMOUNT), else_=0)),
                func.sum(case((_PAYER_SIDE.is_(False), _AMOUNT), else_=0)),
            )
            .select_from(PostingRow)
            .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
            .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                PostingRow.kind.in_(("payment", "reversal")),
            )
            .where(_PAYMENT, *_served(first, end))
            .group_by(ClaimRow.payer_id)
        )
        return {p: (int(a or 0), int(b or 0)) for p, a, b in self.session.execute(query)}

    def paid_visits_by_payer(self, first: dt.date, end: dt.date) -> dict[int, int]:
        """Payer id -> visits billed on the claims that received a payment."""
        paid_claims = select(PostingRow.claim_id).where(
            PostingRow.clinic_id == self.clinic_id, PostingRow.kind == "payment"
        )
        query = (
            select(ClaimRow.payer_id, func.count(ClaimVisitRow.id))
            .join(ClaimRow, ClaimRow.id == ClaimVisitRow.claim_id)
            .where(
                ClaimVisitRow.clinic_id == self.clinic_id, ClaimVisitRow.claim_id.in_(paid_claims)
            )
            .where(*_served(first, end))
            .group_by(ClaimRow.payer_id)
        )
        return {payer: n for payer, n in self.session.execute(query)}
