"""What a therapist's day reads: visits by provider and day, notes to sign, patients to pick.

Bounded, indexed queries (``ix_visit_provider_date``): a day's visits or the unsigned notes, each
with the patient's and payer's names and the note's state, at most ``limit`` rows. Named queries
return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    ClaimRow,
    ClaimVisitRow,
    CoverageRow,
    NoteRow,
    PatientRow,
    PayerRow,
    VisitRow,
)

__all__ = ["BilledClaim", "ScheduledVisit", "TherapistReports"]


@dataclass(frozen=True, slots=True)
class ScheduledVisit:
    """A visit on a therapist's list: who, which payer, and the note's type and signature."""

    visit_id: int
    date: dt.date
    patient_first: str
    patient_last: str
    mrn: str
    payer: str
    note_type: str | None  # None: the visit has no note
    signed: bool


@dataclass(frozen=True, slots=True)
class BilledClaim:
    id: int
    number: str
    status: str


class TherapistReports(ClinicScoped):
    """The therapist's schedule, unsigned notes, patient picker and a visit's claim."""

    def _visits(self) -> Select[Any]:
        cid = self.clinic_id
        return (
            select(VisitRow.id, VisitRow.date, PatientRow.first_name, PatientRow.last_name,
                   PatientRow.mrn, PayerRow.name, NoteRow.note_type, NoteRow.signed_at)
            .join(PatientRow, PatientRow.id == VisitRow.patient_id)
            # outer: a self-pay visit has no coverage, so no payer (shown "Self-pay")
            .outerjoin(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
            .outerjoin(PayerRow, PayerRow.id == CoverageRow.payer_id)
            .outerjoin(NoteRow, NoteRow.visit_id == VisitRow.id)
            .where(VisitRow.clinic_id == cid, PatientRow.clinic_id == cid)
        )  # fmt: skip

    def _scheduled(
        self, *where: ColumnElement[bool], order: Any, limit: int
    ) -> list[ScheduledVisit]:
        query = self._visits().where(*where).order_by(*order).limit(limit)
        return [
            ScheduledVisit(
                vid, on, first, last, mrn, payer or "Self-pay", note_type, signed_at is not None
            )
            for vid, on, first, last, mrn, payer, note_type, signed_at in self.session.execute(
                query
            )
        ]

    def visits_of_day(self, provider_id: int, day: dt.date, limit: int) -> list[ScheduledVisit]:
        """The provider's visits on ``day``, in the order they were recorded."""
        where = (VisitRow.provider_id == provider_id, VisitRow.date == day)
        return self._scheduled(*where, order=(VisitRow.id,), limit=limit)

    def unsigned_visits(self, provider_id: int, limit: int) -> list[ScheduledVisit]:
        """The provider's visits whose note waits for a signature, oldest first."""
        where = (
            VisitRow.provider_id == provider_id,
            NoteRow.id.is_not(None),
            NoteRow.signed_at.is_(None),
        )
        return self._scheduled(*where, order=(VisitRow.date, VisitRow.id), limit=limit)

    def latest_visit_day(self, provider_id: int, on_or_before: dt.date) -> dt.date | None:
        """The provider's most recent day with visits, not after ``on_or_before``."""
        query = select(func.max(VisitRow.date)).where(
            VisitRow.clinic_id == self.clinic_id,
            VisitRow.provider_id == provider_id,
            VisitRow.date <= on_or_before,
        )
        return self.session.scalar(query)

    def patient_names(self, limit: int) -> list[tuple[int, str, str, str]]:
        """(id, last name, first name, MRN) of the clinic's patients, by name."""
        query = (
            select(PatientRow.id, PatientRow.last_name, PatientRow.first_name, PatientRow.mrn)
            .where(PatientRow.clinic_id == self.clinic_id)
            .order_by(PatientRow.last_name, PatientRow.first_name, PatientRow.id)
            .limit(limit)
        )
        return [(i, last, first, mrn) for i, last, first, mrn in self.session.execute(query)]

    def billed_claim(self, visit_id: int) -> BilledClaim | None:
        """The latest claim (other than a void) that bills this visit, if any."""
        query = (
            select(ClaimRow.id, ClaimRow.number, ClaimRow.status)
            .join(ClaimVisitRow, ClaimVisitRow.claim_id == ClaimRow.id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimVisitRow.visit_id == visit_id)
            .where(ClaimRow.frequency_code != "8")
            .order_by(ClaimRow.id.desc())
            .limit(1)
        )
        found = self.session.execute(query).first()
        return BilledClaim(found[0], found[1], found[2]) if found else None
