"""Patients and what governs their care: coverage, plans of care, prior authorizations.

Why authorization use is never typed: the visits used are counted from the visits recorded under
the authorization, so the clinic's "remaining visits" can never drift from what was done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otbill.codes import icd10cm, npi
from otbill.domain.care import Authorization, Coverage, PlanOfCare
from otbill.domain.parties import Patient
from otbill.domain.record_errors import RecordError
from otbill.services.frontdesk.authorizations import usage_of
from otbill.storage import UnitOfWork

__all__ = [
    "AuthorizationStatus",
    "add_authorization",
    "add_coverage",
    "add_patient",
    "add_plan_of_care",
    "authorization_status",
]


def add_patient(
    uow: UnitOfWork,
    *,
    mrn: str,
    first_name: str,
    last_name: str,
    dob: dt.date,
    sex: str,
    address: tuple[str, str, str, str] | None = None,
) -> int:
    line1, city, state, zip_code = address or (None, None, None, None)
    return uow.patients.add(
        Patient(0, mrn, first_name, last_name, dob, sex, line1, city, state, zip_code)
    )


def add_coverage(
    uow: UnitOfWork,
    *,
    patient_id: int,
    payer_id: int,
    member_id: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    network: str = "in",
    priority: int = 1,
    relationship: str = "self",
    subscriber: dict[str, Any] | None = None,
    group_number: str | None = None,
    eligibility_verified_on: dt.date | None = None,
    eligibility_active: bool | None = None,
) -> int:
    uow.patients.get(patient_id)
    uow.payers.get(payer_id)
    if relationship != "self" and not subscriber:
        raise RecordError(f"coverage {member_id}: relationship {relationship} needs a subscriber")
    return uow.patients.add_coverage(
        Coverage(
            id=0,
            patient_id=patient_id,
            payer_id=payer_id,
            member_id=member_id,
            group_number=group_number,
            relationship=relationship,
            subscriber=subscriber,
            network=network,
            priority=priority,
            effective_from=effective_from,
            effective_to=effective_to,
            eligibility_verified_on=eligibility_verified_on,
            eligibility_active=eligibility_active,
        )
    )


def add_plan_of_care(
    uow: UnitOfWork,
    *,
    patient_id: int,
    certifying_npi: str,
    certifying_name: tuple[str, str],
    start: dt.date,
    diagnoses: list[str],
    goals: str,
    frequency_per_week: int,
    duration_weeks: int,
    certified_on: dt.date | None = None,
    recert_due: dt.date | None = None,
) -> int:
    """A plan of care; diagnoses must be billable ICD-10-CM codes on the start date."""
    uow.patients.get(patient_id)
    codes = [icd10cm.validate(code, start) for code in diagnoses]
    return uow.patients.add_plan(
        PlanOfCare(
            id=0,
            patient_id=patient_id,
            certifying_npi=npi.validate(certifying_npi),
            certifying_first_name=certifying_name[0],
            certifying_last_name=certifying_name[1],
            start=start,
            certified_on=certified_on,
            recert_due=recert_due or start + dt.timedelta(days=89),
            diagnoses=tuple(codes),
            goals=goals,
            frequency_per_week=frequency_per_week,
            duration_weeks=duration_weeks,
        )
    )


def add_authorization(
    uow: UnitOfWork,
    *,
    coverage_id: int,
    number: str,
    start: dt.date,
    end: dt.date,
    visits_authorized: int | None,
    units_authorized: int | None = None,
) -> int:
    uow.patients.coverage(coverage_id)
    if end < start:
        raise RecordError(f"authorization {number}: ends ({end}) before it starts ({start})")
    return uow.authorizations.add(
        Authorization(0, coverage_id, number, start, end, visits_authorized, units_authorized)
    )


@dataclass(frozen=True, slots=True)
class AuthorizationStatus:
    authorization_id: int
    number: str
    start: dt.date
    end: dt.date
    visits_authorized: int | None
    visits_used: int

    @property
    def visits_remaining(self) -> int | None:
        if self.visits_authorized is None:
            return None
        return self.visits_authorized - self.visits_used

    def expires_within(self, today: dt.date, days: int) -> bool:
        return today <= self.end <= today + dt.timedelta(days=days)


def authorization_status(
    uow: UnitOfWork, patient_id: int | None = None
) -> list[AuthorizationStatus]:
    """Every authorization (of one patient, or all) with visits used counted from visits."""
    found = uow.authorizations.of(patient_id=patient_id)
    used = usage_of(uow, found)
    return [
        AuthorizationStatus(
            a.id, a.number, a.start_date, a.end_date, a.visits_authorized, used[a.id].visits_used
        )
        for a in found
    ]
