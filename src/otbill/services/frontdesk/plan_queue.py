"""What the plan-of-care pages read: the queue of plans awaiting the physician's signature or
due for recertification (within 14 days, or overdue), one plan's page, and the certification
request the clinic faxes to the physician. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from otbill.domain.care import PlanOfCare
from otbill.domain.parties import Patient
from otbill.domain.plans import (
    RECERT_WARNING_DAYS,
    Physician,
    PlanDetail,
    PlanState,
    Referral,
    certification_deadline,
    plan_state,
)
from otbill.pdf import PlanRequestFacts, render_certification_request
from otbill.storage import UnitOfWork

__all__ = [
    "PlanLine",
    "PlanPage",
    "certification_request",
    "certification_request_pdf",
    "patient_plans",
    "plan_page",
    "plan_queue",
]


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One plan in a list: whose, where it stands, and the date that matters next."""

    plan_id: int
    patient_id: int
    patient_name: str
    physician_name: str
    start: dt.date
    state: PlanState
    certify_by: dt.date
    certified_on: dt.date | None
    recert_due: dt.date | None

    @property
    def awaiting_signature(self) -> bool:
        return self.state in (PlanState.AWAITING_SIGNATURE, PlanState.SIGNATURE_LATE)


@dataclass(frozen=True, slots=True)
class PlanPage:
    plan: PlanOfCare
    detail: PlanDetail
    line: PlanLine
    patient: Patient
    physician: Physician | None
    referral: Referral | None


def _line(
    plan: PlanOfCare, detail: PlanDetail, patient: Patient, today: dt.date, recertified: bool
) -> PlanLine:
    state = plan_state(plan.start, plan.certified_on, plan.recert_due, today,
                       recertified=recertified)  # fmt: skip
    physician = f"{plan.certifying_first_name} {plan.certifying_last_name}".strip()
    return PlanLine(plan.id, patient.id, f"{patient.last_name}, {patient.first_name}", physician,
                    plan.start, state, certification_deadline(plan.start), plan.certified_on,
                    plan.recert_due)  # fmt: skip


def plan_queue(uow: UnitOfWork, today: dt.date) -> list[PlanLine]:
    """Plans awaiting signature (oldest first), then those due for recertification within
    14 days or overdue."""
    found = uow.plans.needing_action(today + dt.timedelta(days=RECERT_WARNING_DAYS))
    patients = {p.id: p for p in uow.patients.by_ids({plan.patient_id for plan, _ in found})}
    lines = [_line(plan, detail, patients[plan.patient_id], today, False)
             for plan, detail in found]  # fmt: skip
    return sorted(lines, key=lambda line: (not line.awaiting_signature, line.start, line.plan_id))


def patient_plans(uow: UnitOfWork, patient_id: int, today: dt.date) -> list[PlanLine]:
    """The patient's plans, newest first."""
    patient = uow.patients.get(patient_id)
    plans = uow.plans.of_patient(patient_id)
    done = uow.plans.recertified_ids([p.id for p, _ in plans])
    return [_line(p, d, patient, today, p.id in done) for p, d in plans]


def plan_page(uow: UnitOfWork, plan_id: int, today: dt.date) -> PlanPage:
    """One plan with its patient, physician and referral (:class:`NotFound` when not found)."""
    plan, detail = uow.plans.get(plan_id)
    patient = uow.patients.get(plan.patient_id)
    done = bool(uow.plans.recertified_ids([plan_id]))
    physician = uow.plans.physician(detail.physician_id) if detail.physician_id else None
    referral = uow.plans.referral(detail.referral_id) if detail.referral_id else None
    line = _line(plan, detail, patient, today, done)
    return PlanPage(plan, detail, line, patient, physician, referral)


def certification_request(uow: UnitOfWork, plan_id: int) -> PlanRequestFacts:
    """The facts the certification request prints."""
    plan, detail = uow.plans.get(plan_id)
    clinic = uow.clinics.identity()
    physician = uow.plans.physician(detail.physician_id) if detail.physician_id else None
    line1, city, state, zip_code = clinic.address
    return PlanRequestFacts(clinic.name, clinic.npi, f"{line1}, {city}, {state} {zip_code}",
                            uow.patients.get(plan.patient_id), physician, plan,
                            detail.recertifies_id is not None)  # fmt: skip


def certification_request_pdf(uow: UnitOfWork, plan_id: int, today: dt.date) -> bytes:
    """The printable certification request for the physician, as PDF bytes."""
    return render_certification_request(certification_request(uow, plan_id), printed_on=today)
