"""A billing company's day over three clinics, for issue 15's done-when test: each clinic loaded
through the services (clinic, users, providers, payers, fees, patients with Medicare coverage and a
plan of care, signed visits), then its claims driven from visits to a posted 835 through jobs:
``claims.pipeline``, a second person's approval, ``exchange.submit``, the offline clearinghouse
simulator, ``exchange.fetch`` (999 and 277CA applied, each 835 queued as ``remittances.post``) and
the postings. How a queued job gets run is the caller's (:class:`JobDriver`): real workers on
PostgreSQL, or in this process for the reference run."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text

from otbill.clearinghouse.simulator.folder import simulate
from otbill.domain.jobs import Job
from otbill.services.claims.bulk_approval import approve_batch
from otbill.services.clinic.identity import change_clinic
from otbill.services.frontdesk import patients
from otbill.services.jobs.claims_pipeline import KIND as PIPELINE
from otbill.services.jobs.claims_pipeline import pipeline_arguments
from otbill.services.jobs.exchange import FETCH, SUBMIT, exchange_arguments
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimRow, NoteRow
from support.claimflow import NOTE, PROFILES
from support.clinickit import Ids, make_npi, seed_clinic

__all__ = [
    "PATIENTS", "TODAY", "VISIT_DAYS", "JobDriver", "LoadedClinic", "approved_claims",
    "billable_clinic", "claim_states", "drive_claims", "load_clinic", "signed_visit",
]  # fmt: skip

TODAY = dt.date(2025, 3, 20)
PATIENTS = 8  # per clinic, each with an evaluation and three treatment visits
VISIT_DAYS = [dt.date(2025, 2, 3) + dt.timedelta(weeks=w) for w in range(4)]


@dataclass(frozen=True)
class LoadedClinic:
    code: str
    ids: Ids
    visit_ids: list[int]


def _patient(db: Database, ids: Ids, n: int, k: int) -> tuple[int, int]:
    """A patient with Medicare coverage and a certified plan of care: (patient, coverage)."""
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        patient = patients.add_patient(uow, mrn=f"MRN{n}-{k}", first_name=f"Pat{k}",
                                       last_name=f"Doe{n}", dob=dt.date(1945, 1 + k % 12, 3 + k),
                                       sex="F" if k % 2 else "M",
                                       address=("1 Main St", "Austin", "TX", "78701"))  # fmt: skip
        coverage = patients.add_coverage(uow, patient_id=patient, payer_id=ids.medicare,
                                         member_id=f"1EG4TE5MK{k:02d}",
                                         effective_from=dt.date(2024, 1, 1),
                                         eligibility_verified_on=dt.date(2025, 2, 1),
                                         eligibility_active=True)  # fmt: skip
        patients.add_plan_of_care(uow, patient_id=patient, certifying_npi=make_npi(300 + n),
                                  certifying_name=("Sam", "Ng"), start=VISIT_DAYS[0],
                                  diagnoses=["M62.81"], goals="Independent dressing in 6 weeks",
                                  frequency_per_week=2, duration_weeks=8,
                                  certified_on=dt.date(2025, 2, 5))  # fmt: skip
    return patient, coverage


def billable_clinic(db: Database, code: str, n: int) -> Ids:
    """``clinickit.seed_clinic`` with what an 837P needs of the clinic: a ZIP+4, a taxonomy."""
    ids = seed_clinic(db, code, n)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        identity = uow.clinics.identity()
        line1, city, state, _zip = identity.address
        change_clinic(uow, dataclasses.replace(identity, taxonomy="261QR0400X",
                                               address=(line1, city, state, "787011234")))  # fmt: skip
    return ids


def signed_visit(db: Database, ids: Ids, patient: int, coverage: int, day: dt.date) -> int:
    """A visit with its note signed: the evaluation on the plan's first day, then treatment."""
    first = day == VISIT_DAYS[0]
    services = (
        [visits.Service("97165", 45)]
        if first
        else [visits.Service("97530", 30), visits.Service("97110", 15)]
    )
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visit = visits.record_visit(uow, patient_id=patient, coverage_id=coverage,
                                    provider_id=ids.otr, date=day, services=services,
                                    note_type="evaluation" if first else "daily", note=NOTE,
                                    profiles=PROFILES, telehealth=False, place_of_service="11")  # fmt: skip
        note = uow.records.first(NoteRow, NoteRow.visit_id == visit)
        assert note is not None
        visits.sign_note(uow, note.id)
    return visit


def load_clinic(db: Database, code: str, n: int) -> LoadedClinic:
    """The clinic (:func:`billable_clinic`), its patients and their signed visits."""
    ids = billable_clinic(db, code, n)
    visit_ids = []
    for k in range(1, PATIENTS + 1):
        patient, coverage = _patient(db, ids, n, k)
        visit_ids += [signed_visit(db, ids, patient, coverage, day) for day in VISIT_DAYS]
    return LoadedClinic(code, ids, visit_ids)


class JobDriver(Protocol):
    """Queues a job for a clinic (as its biller); runs a queued job to its end, or waits while
    the workers do."""

    def queue(self, clinic: Ids, kind: str, arguments: dict[str, Any], key: str) -> Job: ...

    def finish(self, clinic: Ids, job_id: int) -> Job: ...


def _all_done(driver: JobDriver, queued: list[tuple[Ids, int]]) -> list[Job]:
    ended = [driver.finish(ids, job_id) for ids, job_id in queued]
    assert all(job.state == "done" for job in ended), [(j.kind, j.state, j.error) for j in ended]
    return ended


def approved_claims(db: Database, ids: Ids, wiring: Any, days: list[dt.date]) -> None:
    """A signed visit of the clinic's patient on each day, its claims built (by the biller) and
    approved (by the approver)."""
    from otbill.services.claims.build import build_claims
    from otbill.services.claims.lifecycle import approve

    for day in days:
        signed_visit(db, ids, ids.patient, ids.coverage, day)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        build_claims(uow, wiring.scrub_context(TODAY), list(wiring.rules))
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        for claim in uow.records.find(ClaimRow, ClaimRow.status == "ready"):
            approve(uow, claim.id, TODAY)


def _approve_all_but_one(db: Database, ids: Ids) -> None:
    """The approver (not the biller who built them) approves every ready claim but the last,
    which stays in the ready queue."""
    with db.unit_of_work(ids.clinic) as uow:
        ready = sorted(c.id for c in uow.records.find(ClaimRow, ClaimRow.status == "ready"))
    approved = approve_batch(lambda: db.unit_of_work(ids.clinic, ids.approver), ready[:-1], TODAY)
    assert not approved.refused, approved.refused


def drive_claims(
    db: Database,
    driver: JobDriver,
    clinics: list[LoadedClinic],
    folder: Path,
    while_posting: Callable[[list[tuple[Ids, int]]], None] = lambda _jobs: None,
) -> list[Job]:
    """Visits to posted 835s for every clinic, each step's jobs for all clinics at once; returns
    the posting jobs as they ended. ``while_posting`` sees the posting jobs once queued."""
    drop = {c.code: folder / c.code for c in clinics}
    built = _all_done(driver, [(c.ids, driver.queue(c.ids, PIPELINE, pipeline_arguments(
        c.visit_ids, TODAY), "batch-1").id) for c in clinics])  # fmt: skip
    assert all(job.result and job.result["claims"] for job in built), [j.result for j in built]
    for c in clinics:
        _approve_all_but_one(db, c.ids)
    exchange = {c.code: exchange_arguments(drop[c.code], TODAY) for c in clinics}
    _all_done(driver, [(c.ids, driver.queue(c.ids, SUBMIT, exchange[c.code], "send-1").id)
                       for c in clinics])  # fmt: skip
    for c in clinics:
        simulate(drop[c.code])  # the clearinghouse and the payer answer: 999, 277CA, 835
    fetched = _all_done(driver, [(c.ids, driver.queue(c.ids, FETCH, exchange[c.code], "fetch-1").id)
                                 for c in clinics])  # fmt: skip
    postings: list[tuple[Ids, int]] = []
    for c, job in zip(clinics, fetched, strict=True):
        assert job.result and job.result["acknowledgements"] and not job.result["refused"], job
        postings += [(c.ids, int(job_id)) for _name, job_id in job.result["postings"]]
    assert len(postings) >= len(clinics), postings  # an 835 for each clinic at least
    while_posting(postings)
    return _all_done(driver, postings)


def claim_states(db: Database) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every claim by (clinic code, number): its status, open insurance and patient cents, and
    its postings (kind, group, payer side, cents), sorted."""
    with db.engine.connect() as conn:
        claims = conn.execute(text(
            "SELECT k.code, c.number, c.status,"
            " (SELECT coalesce(sum(b.insurance_cents), 0) FROM claim_line_balance b"
            "  WHERE b.claim_id = c.id),"
            " (SELECT coalesce(sum(b.patient_cents), 0) FROM claim_line_balance b"
            "  WHERE b.claim_id = c.id)"
            " FROM claim c JOIN clinic k ON k.id = c.clinic_id")).all()  # fmt: skip
        postings = conn.execute(text(
            "SELECT k.code, c.number, p.kind, coalesce(p.group_code, ''), p.payer_side,"
            " p.amount_cents FROM posting p JOIN claim c ON c.id = p.claim_id"
            " JOIN clinic k ON k.id = c.clinic_id")).all()  # fmt: skip
    by_claim: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for code, number, *posting in postings:
        by_claim.setdefault((code, number), []).append(
            (posting[0], posting[1], bool(posting[2]), int(posting[3]))
        )
    return {
        (code, number): (
            status,
            int(insurance),
            int(patient),
            sorted(by_claim.get((code, number), [])),
        )
        for code, number, status, insurance, patient in claims
    }
