"""Money not yet in the ledger's receivables: unbilled visits, claims not yet sent, appeals.

Charges post to the ledger only when a claim is approved, and a denial's write-off posts as an
adjustment, so the A/R aging alone shows nothing for a clinic whose claims wait in the queues, and
nothing for a denied claim being appealed. These aggregates (one clinic, summed in the database)
are what the dashboard adds to it. Void claims (frequency 8) are never counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    AppealRow,
    ClaimRow,
    CoverageRow,
    DenialRow,
    NoteRow,
    PatientRow,
    ServiceLineRow,
    VisitRow,
)
from otbill.storage.tables.dashboard_summary import ClaimMonthRow, UnbilledVisitRow

__all__ = ["WorkReports"]


class WorkReports(ClinicScoped):
    """Unbilled visits by signature, claims by status, denied amounts under appeal."""

    def _unbilled_visit(self) -> Any:
        """The clinic's visits no claim bills yet (``unbilled.unbilled_visit``), as the kept
        set holds them (:mod:`.dashboard_unbilled`): a few recent visits, not every visit."""
        kept = select(UnbilledVisitRow.visit_id).where(UnbilledVisitRow.clinic_id == self.clinic_id)
        return and_(VisitRow.clinic_id == self.clinic_id, VisitRow.id.in_(kept))

    def unbilled_visits(self) -> list[tuple[bool, int]]:
        """(note signed, visits) of the visits no claim bills yet."""
        signed = NoteRow.signed_at.is_not(None)
        query = (
            select(signed, func.count())
            .select_from(VisitRow)
            .outerjoin(NoteRow, NoteRow.visit_id == VisitRow.id)
            .where(self._unbilled_visit())
            .group_by(signed)
        )
        return [(bool(s), n) for s, n in self.session.execute(query)]

    def unbilled_units(self) -> list[tuple[Any, ...]]:
        """(note signed, day, payer id, code, units) summed over the unbilled visits' lines."""
        signed = NoteRow.signed_at.is_not(None)
        query = (
            select(
                signed,
                VisitRow.date,
                CoverageRow.payer_id,
                ServiceLineRow.code,
                func.sum(ServiceLineRow.units),
            )
            .select_from(ServiceLineRow)
            .join(VisitRow, VisitRow.id == ServiceLineRow.visit_id)
            .join(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
            .outerjoin(NoteRow, NoteRow.visit_id == VisitRow.id)
            .where(self._unbilled_visit())
            .group_by(signed, VisitRow.date, CoverageRow.payer_id, ServiceLineRow.code)
        )
        return [tuple(row) for row in self.session.execute(query)]

    def unbilled_visit_lines(self) -> list[tuple[Any, ...]]:
        """(visit id, payer id or None, patient id, therapist id, day, code, units, note signed,
        patient self-pay) of the visits no claim bills yet, one row per visit and code, read from
        the kept set (a few recent visits): one read serves the work figure (every such visit)
        and the A/R aging's unbilled work (the owner's ``unbilled_visit_lines`` rows: a payer,
        not self-pay)."""
        signed = NoteRow.signed_at.is_not(None)
        keys = (VisitRow.id, CoverageRow.payer_id, VisitRow.patient_id, VisitRow.provider_id,
                VisitRow.date, ServiceLineRow.code)  # fmt: skip
        query = (
            select(*keys, func.sum(ServiceLineRow.units), signed, PatientRow.self_pay)
            .select_from(UnbilledVisitRow)
            .join(VisitRow, VisitRow.id == UnbilledVisitRow.visit_id)
            .join(ServiceLineRow, ServiceLineRow.visit_id == VisitRow.id)
            .join(PatientRow, PatientRow.id == VisitRow.patient_id)
            .outerjoin(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
            .outerjoin(NoteRow, NoteRow.visit_id == VisitRow.id)
            # the kept row carries its visit's clinic; a filter on the visit's own clinic led
            # PostgreSQL to read all the clinic's visits (177,000) for these 2,646: 79 -> 22 ms
            .where(UnbilledVisitRow.clinic_id == self.clinic_id)
            .group_by(*keys, signed, PatientRow.self_pay)
        )
        return [tuple(row) for row in self.session.execute(query)]

    def claims_by_status(self) -> list[tuple[str, int, int]]:
        """(status, claims, billed cents) of every claim but voids, from the dashboard's kept
        ``claim_month`` rows (:mod:`.dashboard_claim_months`), not every claim."""
        day = ClaimMonthRow
        query = (
            select(day.status, func.sum(day.claims), func.sum(day.charge_cents))
            .where(day.clinic_id == self.clinic_id, day.void.is_(False))
            .group_by(day.status)
            .having(func.sum(day.claims) > 0)
        )
        return [(s, int(n), int(cents or 0)) for s, n, cents in self.session.execute(query)]

    def under_appeal(self) -> list[tuple[dt.date, int, int]]:
        """(day of service, denied cents, claims) of claims in ``appealed`` whose appeal is
        pending: the amount the denial wrote off and the appeal asks the payer to pay."""
        query = (
            select(
                ClaimRow.date_of_service,
                func.sum(DenialRow.amount_cents),
                func.count(func.distinct(ClaimRow.id)),
            )
            .select_from(AppealRow)
            .join(DenialRow, DenialRow.id == AppealRow.denial_id)
            .join(ClaimRow, ClaimRow.id == AppealRow.claim_id)
            .where(
                AppealRow.clinic_id == self.clinic_id,
                AppealRow.outcome == "pending",
                ClaimRow.clinic_id == self.clinic_id,  # the clinic's appealed claims (queue
                ClaimRow.status == "appealed",  # index), not every clinic's (121 -> 72 ms)
            )
            .group_by(ClaimRow.date_of_service)
        )
        return [(day, int(cents or 0), n) for day, cents, n in self.session.execute(query)]
