"""What the front desk's patient page shows: who the patient is, their coverage (with history),
their documents, their account (what they owe), the payers a new coverage can name, and each
coverage's latest 270/271 eligibility answer (its benefits in plain words). Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from otbill.domain.eligibility import StoredCheck
from otbill.domain.parties import Patient, Payer
from otbill.domain.patient_account import PatientAccount
from otbill.domain.registration import PatientDocument, Registration
from otbill.services.frontdesk.coverage import CoverageLine, coverage_history
from otbill.services.patient_account import account_of
from otbill.storage import UnitOfWork

__all__ = ["PatientFile", "patient_file"]


@dataclass(frozen=True, slots=True)
class PatientFile:
    patient: Patient
    registration: Registration
    coverages: list[CoverageLine]
    documents: list[PatientDocument]
    payers: list[Payer]
    account: PatientAccount
    latest_checks: dict[int, StoredCheck]  # coverage id -> its newest eligibility answer

    def benefits(self, coverage_id: int) -> list[str]:
        """The newest answer's benefits in plain words (none when no 271 was kept)."""
        check = self.latest_checks.get(coverage_id)
        lines = check.benefits.get("lines") if check is not None else None
        return [str(line) for line in lines] if isinstance(lines, list) else []

    @property
    def has_active_coverage(self) -> bool:
        return any(line.active for line in self.coverages)


def patient_file(uow: UnitOfWork, patient_id: int, today: dt.date) -> PatientFile:
    """The patient's page (:class:`NotFound` for another clinic's patient)."""
    patient = uow.patients.get(patient_id)
    coverages = coverage_history(uow, patient_id, today)
    checks = {line.coverage.id: uow.eligibility.latest(line.coverage.id) for line in coverages}
    return PatientFile(
        patient,
        uow.patients.registration(patient_id),
        coverages,
        uow.patients.documents.of_patient(patient_id),
        sorted(uow.payers.all(), key=lambda p: p.name),
        account_of(uow, patient_id),
        {cid: check for cid, check in checks.items() if check is not None},
    )
