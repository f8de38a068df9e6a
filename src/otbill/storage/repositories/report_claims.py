"""Claims and visits as the claim page, the CLI listing and the JSON API read them.

Lists read one page (plus one row, to know whether another follows) in an indexed order
(``ix_claim_queue``, ``ix_visit_clinic_patient_date``) and never the findings JSON; one claim is
read with its payer's and patient's names. Named queries return plain records; ORM rows stay
inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    NoteRow,
    PatientRow,
    PayerRow,
    ProviderRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = [
    "ClaimBrief",
    "ClaimHeader",
    "ClaimLineBrief",
    "ClaimReports",
    "StatusMove",
    "VisitBrief",
]


@dataclass(frozen=True, slots=True)
class ClaimBrief:
    """A claim as a queue lists it (no findings)."""

    id: int
    number: str
    status: str
    date_of_service: dt.date
    payer_id: int
    total_charge_cents: int
    errors: int


@dataclass(frozen=True, slots=True)
class ClaimHeader:
    """One claim with its payer and patient, as its page and the API show it."""

    brief: ClaimBrief
    payer: str
    patient: str  # "First Last"
    mrn: str
    frequency_code: str
    original_claim_id: int | None
    payer_claim_number: str | None
    place_of_service: str
    telehealth: bool
    findings: list[dict[str, Any]]
    created_by: int
    last_edited_by: int
    approved_by: int | None


@dataclass(frozen=True, slots=True)
class ClaimLineBrief:
    id: int
    position: int
    date: dt.date
    code: str
    modifiers: tuple[str, ...]
    minutes: int | None
    units: int
    charge_cents: int
    therapist: str  # the rendering provider, "First Last"
    assistant: bool  # furnished by a therapy assistant


@dataclass(frozen=True, slots=True)
class StatusMove:
    from_status: str | None
    to_status: str
    at: dt.datetime
    by_user: int
    reason: str


@dataclass(frozen=True, slots=True)
class VisitBrief:
    """A visit with its service lines (code, minutes, units, modifiers) and its note's state."""

    id: int
    date: dt.date
    patient_id: int
    provider_id: int
    coverage_id: int | None  # None: a self-pay visit
    place_of_service: str
    telehealth: bool
    services: list[tuple[str, int | None, int, tuple[str, ...]]]
    note_type: str | None
    note_signed: bool


def _dates(column: Any, start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column <= end)
    return out


def _modifiers(text: str) -> tuple[str, ...]:
    return tuple(m for m in text.split(",") if m)


_BRIEF = (
    ClaimRow.id,
    ClaimRow.number,
    ClaimRow.status,
    ClaimRow.date_of_service,
    ClaimRow.payer_id,
    ClaimRow.total_charge_cents,
    ClaimRow.error_count,
)


class ClaimReports(ClinicScoped):
    """Claim listings, one claim with its lines and status moves, and visit listings."""

    def claim_briefs(
        self,
        *,
        status: str | None = None,
        payer_id: int | None = None,
        served: tuple[dt.date | None, dt.date | None] = (None, None),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ClaimBrief]:
        """Claims oldest date of service first (the work-queue order, ``ix_claim_queue``)."""
        query = select(*_BRIEF).where(ClaimRow.clinic_id == self.clinic_id)
        if status is not None:
            query = query.where(ClaimRow.status == status)
        if payer_id is not None:
            query = query.where(ClaimRow.payer_id == payer_id)
        query = query.where(*_dates(ClaimRow.date_of_service, *served))
        query = query.order_by(ClaimRow.date_of_service, ClaimRow.id).offset(offset or None)
        return [ClaimBrief(*row) for row in self.session.execute(query.limit(limit))]

    def claim_id_by_number(self, number: str) -> int | None:
        query = select(ClaimRow.id).where(
            ClaimRow.clinic_id == self.clinic_id, ClaimRow.number == number
        )
        return self.session.scalar(query.limit(1))

    def claim_header(self, claim_id: int) -> ClaimHeader | None:
        """The claim with its payer's and patient's names, else None (not this clinic's)."""
        query = (
            select(ClaimRow, PayerRow.name, PatientRow.first_name, PatientRow.last_name,
                   PatientRow.mrn)
            .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
            .join(PatientRow, PatientRow.id == ClaimRow.patient_id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.id == claim_id)
        )  # fmt: skip
        found = self.session.execute(query).first()
        if found is None:
            return None
        c, payer, first, last, mrn = found
        brief = ClaimBrief(c.id, c.number, c.status, c.date_of_service, c.payer_id,
                           c.total_charge_cents, c.error_count)  # fmt: skip
        return ClaimHeader(
            brief, payer, f"{first} {last}", mrn, c.frequency_code, c.original_claim_id,
            c.payer_claim_number, c.place_of_service, c.telehealth, list(c.findings or []),
            c.created_by, c.last_edited_by, c.approved_by,
        )  # fmt: skip

    def claim_lines(self, claim_id: int) -> list[ClaimLineBrief]:
        """The claim's lines in order, each with its rendering provider's name."""
        query = (
            select(ClaimLineRow, ProviderRow.first_name, ProviderRow.last_name)
            .join(ProviderRow, ProviderRow.id == ClaimLineRow.rendering_provider_id)
            .where(ClaimLineRow.clinic_id == self.clinic_id, ClaimLineRow.claim_id == claim_id)
            .order_by(ClaimLineRow.position)
        )
        return [
            ClaimLineBrief(x.id, x.position, x.date, x.code, _modifiers(x.modifiers), x.minutes,
                           x.units, x.charge_cents, f"{first} {last}", x.furnished_by_assistant)
            for x, first, last in self.session.execute(query)
        ]  # fmt: skip

    def status_moves(self, claim_id: int) -> list[StatusMove]:
        """The claim's status history, oldest first."""
        query = (
            select(ClaimStatusRow)
            .where(ClaimStatusRow.clinic_id == self.clinic_id, ClaimStatusRow.claim_id == claim_id)
            .order_by(ClaimStatusRow.id)
        )
        return [
            StatusMove(m.from_status, m.to_status, m.at, m.by_user, m.reason)
            for m in self.session.scalars(query)
        ]

    def visit_briefs(
        self,
        *,
        provider_id: int | None = None,
        patient_id: int | None = None,
        on: tuple[dt.date | None, dt.date | None] = (None, None),
        limit: int,
        offset: int = 0,
    ) -> list[VisitBrief]:
        """Visits newest first, each with its service lines and whether its note is signed."""
        query: Select[Any] = select(VisitRow).where(VisitRow.clinic_id == self.clinic_id)
        query = query.where(*_dates(VisitRow.date, *on))
        if provider_id is not None:
            query = query.where(VisitRow.provider_id == provider_id)
        if patient_id is not None:
            query = query.where(VisitRow.patient_id == patient_id)
        query = query.order_by(VisitRow.date.desc(), VisitRow.id.desc()).offset(offset)
        visits = list(self.session.scalars(query.limit(limit)))
        ids = [v.id for v in visits]
        services = self._services(ids)
        notes = {n.visit_id: n for n in self._of_visits(NoteRow, ids)}
        return [
            VisitBrief(
                v.id,
                v.date,
                v.patient_id,
                v.provider_id,
                v.coverage_id,
                v.place_of_service,
                v.telehealth,
                services.get(v.id, []),
                notes[v.id].note_type if v.id in notes else None,
                v.id in notes and notes[v.id].signed_at is not None,
            )
            for v in visits
        ]

    def _of_visits(self, model: Any, visit_ids: Sequence[int]) -> list[Any]:
        query = select(model).where(
            model.clinic_id == self.clinic_id, model.visit_id.in_(visit_ids)
        )
        return list(self.session.scalars(query.order_by(model.id)))

    def _services(self, visit_ids: Sequence[int]) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for line in self._of_visits(ServiceLineRow, visit_ids):
            out.setdefault(line.visit_id, []).append(
                (line.code, line.minutes, line.units, _modifiers(line.modifiers))
            )
        return out
