"""The dashboard's aggregates: every figure summed in the database, never a row per claim.

Each query covers one clinic and, where it says so, claims with a date of service in
``[first, end)``; rows come back per day (or per payer), and the dashboard folds days into months,
which keeps the SQL the same on SQLite and PostgreSQL. The claims by payer and status, first scrubs,
payments, paid visits, open balances, decided claims and denial causes read the daily rollups kept with every write
(:mod:`otbill.storage.repositories.dashboard_summary`): a year of a big clinic's claims is a few
thousand rows there. Ledger balances follow
:mod:`otbill.domain.ledger` exactly (a reversal negates the posting it reverses; a transfer moves
the payer's share to the patient). Named queries return plain tuples; ORM rows stay in storage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    ClaimRow,
    OverheadCostRow,
    PostingRow,
    VisitRow,
)
from otbill.storage.tables.dashboard_summary import (
    ClaimMonthRow,
    DashboardDayRow,
    DenialCauseDayRow,
)

__all__ = ["DashboardReports"]


def _served(first: dt.date, end: dt.date) -> list[ColumnElement[bool]]:
    return [ClaimRow.date_of_service >= first, ClaimRow.date_of_service < end]


class DashboardReports(ClinicScoped):
    """Aggregates for the owner's dashboard: claims, denials, ledger balances, visits, overhead."""

    def _aggregate(self, query: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.execute(query)]

    def _kept_days(
        self, table: Any, columns: tuple[Any, ...], count: Any, first: dt.date, end: dt.date
    ) -> list[tuple[Any, ...]]:
        """(day of service, *columns) of a kept day table's rows in ``[first, end)`` whose
        ``count`` is not zero."""
        query = (
            select(table.date_of_service, *columns)
            .where(table.clinic_id == self.clinic_id, count > 0)
            .where(table.date_of_service >= first, table.date_of_service < end)
        )
        return self._aggregate(query)

    def first_scrubs(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day of service, ``"ready"`` or ``"not ready"``: where the claim's first scrub moved
        it, claims), from the kept day rows (``dashboard_day``)."""
        day = DashboardDayRow
        query = (
            select(day.date_of_service, func.sum(day.scrubbed), func.sum(day.clean))
            .where(day.clinic_id == self.clinic_id)
            .where(day.date_of_service >= first, day.date_of_service < end)
            .group_by(day.date_of_service)
            .having(func.sum(day.scrubbed) > 0)
        )
        out: list[tuple[Any, ...]] = []
        for served, scrubbed, clean in self.session.execute(query):
            out += [(served, "ready", int(clean)), (served, "not ready", int(scrubbed - clean))]
        return out

    def claims_by_payer(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(payer id, claims, billed cents), void claims excluded, from the kept ``claim_month``
        rows (the window is whole months)."""
        day = ClaimMonthRow
        query = (
            select(day.payer_id, func.sum(day.claims), func.sum(day.charge_cents))
            .where(day.clinic_id == self.clinic_id, day.void.is_(False))
            .where(day.month >= first, day.month < end)
            .group_by(day.payer_id)
            .having(func.sum(day.claims) > 0)
        )
        return [(p, int(n), int(c)) for p, n, c in self.session.execute(query)]

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
        ``claim_outcome`` and summed in the kept day rows (``dashboard_day``)."""
        day = DashboardDayRow
        return self._kept_days(
            day, (day.payer_id, day.decided, day.denied), day.decided, first, end
        )

    def denial_causes(self, first: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
        """(day of service, group code, CARC, denied claims), from the kept
        ``denial_cause_day`` rows."""
        cause = DenialCauseDayRow
        columns = (cause.group_code, cause.carc, cause.claims)
        return self._kept_days(cause, columns, cause.claims, first, end)

    def open_balances(self) -> list[tuple[Any, ...]]:
        """(day of service, insurance cents, patient cents, claims) of claims still owed, from
        the kept day rows (``dashboard_day``, themselves kept from ``claim_line_balance``)."""
        day = DashboardDayRow
        query = (
            select(day.date_of_service, func.sum(day.open_insurance_cents),
                   func.sum(day.open_patient_cents), func.sum(day.open_claims))
            .where(day.clinic_id == self.clinic_id)
            .group_by(day.date_of_service)
            .having(func.sum(day.open_claims) > 0)
        )  # fmt: skip
        # PostgreSQL sums integers as bigint or numeric; the A/R chart adds them to floats
        rows = self.session.execute(query)
        return [(served, int(a), int(b), int(n)) for served, a, b, n in rows]

    def has_charges(self) -> bool:
        """Whether any charge was ever posted (claims enter A/R when approved)."""
        query = select(PostingRow.id).where(
            PostingRow.clinic_id == self.clinic_id, PostingRow.kind == "charge"
        )
        return self.session.scalar(query.limit(1)) is not None

    def _paid_by_payer(self, first: dt.date, end: dt.date) -> list[tuple[int, int, int, int]]:
        """(payer id, cents paid by the payer, by patients, visits of paid claims) of the claims
        served in ``[first, end)`` with a payment, from the kept day rows."""
        day = DashboardDayRow
        query = (
            select(day.payer_id, func.sum(day.payer_paid_cents), func.sum(day.patient_paid_cents),
                   func.sum(day.paid_visits))
            .where(day.clinic_id == self.clinic_id)
            .where(day.date_of_service >= first, day.date_of_service < end)
            .group_by(day.payer_id)
            .having(func.sum(day.paid_visits) > 0)
        )  # fmt: skip
        return [(p, int(a), int(b), int(n)) for p, a, b, n in self.session.execute(query)]

    def payments_by_payer(self, first: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
        """Payer id -> (cents paid by the payer, cents paid by patients), reversals netted, of
        the payers with a paid claim served in ``[first, end)``."""
        return {p: (a, b) for p, a, b, _ in self._paid_by_payer(first, end)}

    def paid_visits_by_payer(self, first: dt.date, end: dt.date) -> dict[int, int]:
        """Payer id -> visits billed on the claims that received a payment."""
        return {p: n for p, _, _, n in self._paid_by_payer(first, end)}
