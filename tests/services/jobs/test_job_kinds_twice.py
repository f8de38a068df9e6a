"""Every job kind the web moved onto the queue is idempotent: run twice (a retry after a kill, a
duplicate delivery), the second run changes nothing in the database (both databases)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text

from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.domain.jobs import Job
from otbill.domain.schedule import Appointment
from otbill.payers import load_profiles
from otbill.services.claims.lifecycle import submit
from otbill.services.exchange.eligibility_batch import start_run
from otbill.services.frontdesk import patients
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs.claims_pipeline import pipeline_arguments
from otbill.services.jobs.posting import posting_arguments
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import record_visit
from support.clinickit import Ids, insert_claim, seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim
from support.statementkit import owing

TABLES = ("posting", "claim", "claim_status_history", "statement", "edi_file", "edi_work_item",
          "eligibility_check", "eligibility_run_item", "audit_event")  # fmt: skip


class _Kept:
    def submit(self, job: Job) -> None:
        """The test runs the job's function itself."""

    def lost(self, job: Job) -> bool:
        return False


def _state(db: Database) -> dict[str, Any]:
    """Row counts of what the kinds write, and each claim's status."""
    with db.engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
        claims = sorted(conn.execute(text("SELECT number, status FROM claim")).all())
    return {"counts": counts, "claims": [tuple(c) for c in claims]}


def _twice(db: Database, ids: Ids, kind: str, arguments: dict[str, Any],
           context: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """Run the kind's function, then again on the job as the first run left it."""
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, kind, arguments, "once")
    run = kind_named(kind).run
    first = run(db, RunningJob(job, db, context or {}))
    after_first = _state(db)
    with db.unit_of_work(ids.clinic) as uow:
        kept = uow.jobs.get(job.id)
    second = run(db, RunningJob(kept, db, context or {}))
    assert _state(db) == after_first, str((_state(db), after_first))
    return first, second


def test_posting_an_835_twice(db: Database) -> None:
    ids = seed_clinic(db)
    for number in ("P1", "P2", "P3"):
        submitted_claim(db, ids, number)
    data = make_835("\n".join(paid_claim(n) for n in ("P1", "P2", "P3")), str(96 * 3))
    first, second = _twice(db, ids, "remittances.post",
                           posting_arguments("era.835", data, dt.date(2025, 3, 10)))  # fmt: skip
    assert first["counts"]["paid"] == 3 and second["already_posted"] is True


def test_a_statement_run_twice(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    owing(db, ids)
    arguments = {"on": "2025-03-20", "out_dir": str(tmp_path)}
    first, second = _twice(db, ids, "statements.run", arguments)
    assert first["sent"] == 1 and second["sent"] == 0 and second["already_sent"] == 1


def test_asking_about_all_twice(db: Database) -> None:
    ids = seed_clinic(db)
    claims = [insert_claim(db, ids, number)[0] for number in ("C-302", "C-304")]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        submit(uow, claims)
    payer = SimulatedClaimStatusPayer()
    arguments = {"claim_ids": claims, "today": dt.date.today().isoformat()}
    first, second = _twice(db, ids, "claims.ask_status", arguments,
                           {"claim_status_transport": payer})  # fmt: skip
    assert len(payer.requests) == 2 and first == second  # the second run asked no one


def test_an_eligibility_run_twice(db: Database) -> None:
    ids, day = seed_clinic(db), dt.date(2025, 6, 10)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        patient = patients.add_patient(uow, mrn="B1", first_name="Pat", last_name="Batch",
                                       dob=dt.date(1950, 1, 1), sex="F")  # fmt: skip
        patients.add_coverage(uow, patient_id=patient, payer_id=ids.commercial, member_id="M1",
                              effective_from=dt.date(2024, 1, 1))  # fmt: skip
        uow.schedule.add(Appointment(0, ids.otr, None, patient, None, day, 480, 30, "daily",
                                     status="booked"))  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        run_id = start_run(uow, day, "scheduled", today=dt.date(2025, 6, 9))
    payer = SimulatedEligibilityPayer()
    context = {"eligibility_transport": payer, "wiring": SimpleNamespace(profiles=load_profiles())}
    arguments = {"run_id": run_id, "today": "2025-06-09"}
    first, second = _twice(db, ids, "eligibility.run", arguments, context)
    assert first == second and first["answered"] == 1 and len(payer.requests) == 1


def test_a_claim_batch_twice(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    day = dt.date(2025, 2, 3)
    visit_ids = [
        record_visit(db, ids, day, [visits.Service("97165", 45)], note_type="evaluation"),
        record_visit(db, ids, day + dt.timedelta(days=2), [visits.Service("97530", 24)]),
    ]
    arguments = pipeline_arguments(visit_ids, day + dt.timedelta(days=5))
    first, second = _twice(db, ids, "claims.pipeline", arguments)
    assert first["claims"] == 2 and second["claims"] == 0 and second["already_billed"] == 2
