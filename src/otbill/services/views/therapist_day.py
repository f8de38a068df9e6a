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

from otbill.domain.care import Coverage, Visit, VisitLine
from otbill.domain.notes import VisitNote
from otbill.domain.parties import Patient, Payer, Provider
from otbill.services.views.choices import therapist_choices
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_therapist import BilledClaim, ScheduledVisit

__all__ = [
    "DayVisit",
    "VisitView",
    "billed_claim",
    "coverage_on",
    "is_self_pay",
    "latest_visit_day",
    "load_visit",
    "may_open",
    "patient_choices",
    "payer",
    "provider",
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
    """A visit with everything its page shows (read-only records)."""

    visit: Visit
    patient: Patient
    payer: Payer | None  # None: a self-pay visit (no coverage), shown as "Self-pay"
    provider: Provider
    note_id: int
    note: VisitNote
    lines: tuple[VisitLine, ...]
    amendment_authors: dict[int, str]


def _day_visits(uow: UnitOfWork, found: list[ScheduledVisit]) -> list[DayVisit]:
    lines = uow.visits.lines_by_visit([v.visit_id for v in found]) if found else {}
    return [
        DayVisit(
            visit_id=v.visit_id,
            date=v.date,
            patient=f"{v.patient_last}, {v.patient_first}",
            mrn=v.mrn,
            payer=v.payer,
            note_type=v.note_type or "",
            signed=v.signed,
            services=", ".join(f"{x.code} {x.minutes} min" for x in lines.get(v.visit_id, [])),
        )
        for v in found
    ]


def visits_on(uow: UnitOfWork, provider_id: int, day: dt.date) -> list[DayVisit]:
    """The provider's visits on ``day`` (at most ``MAX_ROWS``), in the order they were recorded."""
    return _day_visits(uow, uow.reports.visits_of_day(provider_id, day, MAX_ROWS))


def latest_visit_day(uow: UnitOfWork, provider_id: int, on_or_before: dt.date) -> dt.date | None:
    """The provider's most recent day with visits, not after ``on_or_before``."""
    return uow.reports.latest_visit_day(provider_id, on_or_before)


def unsigned_notes(uow: UnitOfWork, provider_id: int, limit: int = 50) -> list[DayVisit]:
    """The provider's notes still waiting for a signature, oldest first."""
    return _day_visits(uow, uow.reports.unsigned_visits(provider_id, limit))


def patient_choices(uow: UnitOfWork, limit: int = 2000) -> list[tuple[int, str]]:
    """The clinic's patients for a picker: (id, "Last, First · MRN"), by name."""
    return [
        (i, f"{last}, {first} · {mrn}") for i, last, first, mrn in uow.reports.patient_names(limit)
    ]


def provider_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The clinic's therapists: (id, "First Last, credential"), by last name."""
    return therapist_choices(uow)


def provider(uow: UnitOfWork, provider_id: int) -> Provider:
    """One of the clinic's providers (:class:`NotFound` for another clinic's)."""
    return uow.providers.get(provider_id)


def payer(uow: UnitOfWork, payer_id: int) -> Payer:
    """One of the clinic's payers (:class:`NotFound` for another clinic's)."""
    return uow.payers.get(payer_id)


def coverage_on(uow: UnitOfWork, patient_id: int, on: dt.date) -> Coverage | None:
    """The patient's primary coverage in force on ``on`` (lowest priority number first)."""
    in_force = [
        c
        for c in uow.patients.coverages([patient_id])
        if c.effective_from is not None and c.effective_from <= on
        and (c.effective_to is None or c.effective_to >= on)
    ]  # fmt: skip
    return min(in_force, key=lambda c: (c.priority, c.id), default=None)


def is_self_pay(uow: UnitOfWork, patient_id: int) -> bool:
    """Whether the patient is registered as self-pay (seen with no insurance billed)."""
    return patient_id in uow.self_pay.self_pay_patients([patient_id])


def may_open(uow: UnitOfWork, visit: Visit, provider_id: int | None) -> bool:
    """Whether this provider treats (or, as the COTA's supervising OT, answers for) the visit."""
    if provider_id is None:
        return False
    if visit.provider_id == provider_id:
        return True
    return uow.providers.get(visit.provider_id).supervisor_id == provider_id


def billed_claim(uow: UnitOfWork, visit_id: int) -> BilledClaim | None:
    """The claim (other than a void) that bills this visit, if any."""
    return uow.reports.billed_claim(visit_id)


def load_visit(uow: UnitOfWork, visit_id: int) -> VisitView:
    """The visit and all its page shows; :class:`NotFound` for another clinic's visit."""
    visit = uow.visits.get(visit_id)
    coverage = uow.patients.coverage(visit.coverage_id) if visit.coverage_id else None
    note_row = uow.visits.note_of_visit(visit.id)
    if note_row is None:  # record_visit always writes one; a missing note is a broken record
        raise LookupError(f"visit {visit_id}: has no note")
    note = uow.visits.note(note_row.id)
    authors = {a.by for a in note.amendments}
    return VisitView(
        visit=visit,
        patient=uow.patients.get(visit.patient_id),
        payer=uow.payers.get(coverage.payer_id) if coverage else None,
        provider=uow.providers.get(visit.provider_id),
        note_id=note_row.id,
        note=note,
        lines=tuple(uow.visits.lines_by_visit([visit.id]).get(visit.id, [])),
        amendment_authors=uow.users.full_names(authors) if authors else {},
    )
