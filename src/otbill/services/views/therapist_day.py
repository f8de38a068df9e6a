"""What a therapist's pages read: the day's visits, notes to sign, and one visit with its note.

Why its own module: the therapist's screens ask questions no other use case asks (visits by
provider and day, unsigned notes by provider) and must answer them with bounded, indexed queries;
the visit page needs the visit, its patient, payer and note in one read.

Who may open a visit ("own" visits): the visit's treating therapist, and the OT who supervises that
therapist when they are a COTA (the claim bills the supervising OT as rendering provider, so they
answer for the visit too). :func:`may_open` decides it; the web layer adds the roles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from otbill.domain.notes import VisitNote
from otbill.services.visits.record import load_note
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    ClaimRow,
    ClaimVisitRow,
    CoverageRow,
    NoteRow,
    PatientRow,
    PayerRow,
    ProviderRow,
    ServiceLineRow,
    UserRow,
    VisitRow,
)

__all__ = [
    "DayVisit",
    "VisitView",
    "billed_claim",
    "coverage_on",
    "latest_visit_day",
    "load_visit",
    "may_open",
    "patient_choices",
    "provider_choices",
    "unsigned_notes",
    "visits_on",
]

MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class DayVisit:
    """One row of the schedule or of the notes-to-sign list."""

    visit_id: int
    date: dt.date
    patient: str
    mrn: str
    payer: str
    note_type: str
    signed: bool
    services: str  # "97110 38 min, 97140 9 min"


@dataclass(frozen=True, slots=True)
class VisitView:
    """A visit with everything its page shows (rows are detached, read-only copies)."""

    visit: VisitRow
    patient: PatientRow
    payer: PayerRow
    provider: ProviderRow
    note_id: int
    note: VisitNote
    lines: tuple[ServiceLineRow, ...]
    amendment_authors: dict[int, str]


def _rows(uow: UnitOfWork, query: Select[Any], limit: int = MAX_ROWS) -> list[DayVisit]:
    found = list(uow.session.execute(query.limit(limit)))
    ids = [r.VisitRow.id for r in found]
    services: dict[int, list[str]] = {}
    if ids:
        lines = uow.records.find(
            ServiceLineRow, ServiceLineRow.visit_id.in_(ids), order=ServiceLineRow.position
        )
        for line in lines:
            services.setdefault(line.visit_id, []).append(f"{line.code} {line.minutes} min")
    return [
        DayVisit(
            visit_id=r.VisitRow.id,
            date=r.VisitRow.date,
            patient=f"{r.PatientRow.last_name}, {r.PatientRow.first_name}",
            mrn=r.PatientRow.mrn,
            payer=r.PayerRow.name,
            note_type=r.NoteRow.note_type if r.NoteRow else "",
            signed=bool(r.NoteRow and r.NoteRow.signed_at),
            services=", ".join(services.get(r.VisitRow.id, [])),
        )
        for r in found
    ]


def _visit_query(uow: UnitOfWork) -> Select[Any]:
    cid = uow.clinic_id
    return (
        select(VisitRow, PatientRow, PayerRow, NoteRow)
        .join(PatientRow, PatientRow.id == VisitRow.patient_id)
        .join(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
        .join(PayerRow, PayerRow.id == CoverageRow.payer_id)
        .outerjoin(NoteRow, NoteRow.visit_id == VisitRow.id)
        .where(VisitRow.clinic_id == cid, PatientRow.clinic_id == cid)
    )


def visits_on(uow: UnitOfWork, provider_id: int, day: dt.date) -> list[DayVisit]:
    """The provider's visits on ``day`` (at most ``MAX_ROWS``), in the order they were recorded."""
    query = _visit_query(uow).where(VisitRow.provider_id == provider_id, VisitRow.date == day)
    return _rows(uow, query.order_by(VisitRow.id))


def latest_visit_day(uow: UnitOfWork, provider_id: int, on_or_before: dt.date) -> dt.date | None:
    """The provider's most recent day with visits, not after ``on_or_before``."""
    query = select(func.max(VisitRow.date)).where(
        VisitRow.clinic_id == uow.clinic_id,
        VisitRow.provider_id == provider_id,
        VisitRow.date <= on_or_before,
    )
    return uow.session.scalar(query)


def unsigned_notes(uow: UnitOfWork, provider_id: int, limit: int = 50) -> list[DayVisit]:
    """The provider's notes still waiting for a signature, oldest first."""
    query = _visit_query(uow).where(
        VisitRow.provider_id == provider_id, NoteRow.id.is_not(None), NoteRow.signed_at.is_(None)
    )
    return _rows(uow, query.order_by(VisitRow.date, VisitRow.id), limit)


def patient_choices(uow: UnitOfWork, limit: int = 2000) -> list[tuple[int, str]]:
    """The clinic's patients for a picker: (id, "Last, First · MRN"), by name."""
    query = (
        uow.records.select(PatientRow)
        .order_by(PatientRow.last_name, PatientRow.first_name, PatientRow.id)
        .limit(limit)
    )
    return [(p.id, f"{p.last_name}, {p.first_name} · {p.mrn}") for p in uow.session.scalars(query)]


def provider_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The clinic's therapists: (id, "First Last, credential")."""
    rows = uow.records.find(ProviderRow, order=ProviderRow.last_name)
    return [(p.id, f"{p.first_name} {p.last_name}, {p.credential}") for p in rows]


def coverage_on(uow: UnitOfWork, patient_id: int, on: dt.date) -> CoverageRow | None:
    """The patient's primary coverage in force on ``on`` (lowest priority number first)."""
    rows = uow.records.find(
        CoverageRow,
        CoverageRow.patient_id == patient_id,
        CoverageRow.effective_from <= on,
        order=CoverageRow.priority,
    )
    return next((c for c in rows if c.effective_to is None or c.effective_to >= on), None)


def may_open(uow: UnitOfWork, visit: VisitRow, provider_id: int | None) -> bool:
    """Whether this provider treats (or, as the COTA's supervising OT, answers for) the visit."""
    if provider_id is None:
        return False
    if visit.provider_id == provider_id:
        return True
    treating = uow.records.get(ProviderRow, visit.provider_id)
    return treating.supervisor_id == provider_id


def billed_claim(uow: UnitOfWork, visit_id: int) -> ClaimRow | None:
    """The claim (other than a void) that bills this visit, if any."""
    query = (
        uow.records.select(ClaimRow)
        .join(ClaimVisitRow, ClaimVisitRow.claim_id == ClaimRow.id)
        .where(ClaimVisitRow.visit_id == visit_id, ClaimRow.frequency_code != "8")
        .order_by(ClaimRow.id.desc())
        .limit(1)
    )
    return uow.session.scalars(query).first()


def load_visit(uow: UnitOfWork, visit_id: int) -> VisitView:
    """The visit and all its page shows; :class:`NotFound` for another clinic's visit."""
    visit = uow.records.get(VisitRow, visit_id)
    coverage = uow.records.get(CoverageRow, visit.coverage_id)
    note_row = uow.records.first(NoteRow, NoteRow.visit_id == visit.id)
    if note_row is None:  # record_visit always writes one; a missing note is a broken record
        raise LookupError(f"visit {visit_id}: has no note")
    note = load_note(uow, note_row.id)
    authors = {a.by for a in note.amendments}
    names = {}
    if authors:
        users = uow.records.find(UserRow, UserRow.id.in_(authors))
        names = {u.id: u.full_name for u in users}
    lines = uow.records.find(
        ServiceLineRow, ServiceLineRow.visit_id == visit.id, order=ServiceLineRow.position
    )
    return VisitView(
        visit=visit,
        patient=uow.records.get(PatientRow, visit.patient_id),
        payer=uow.records.get(PayerRow, coverage.payer_id),
        provider=uow.records.get(ProviderRow, visit.provider_id),
        note_id=note_row.id,
        note=note,
        lines=tuple(lines),
        amendment_authors=names,
    )
