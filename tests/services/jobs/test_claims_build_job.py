"""Job kind ``claims.build`` (the web's "Build claims", both databases): builds and scrubs every
visit not billed yet through the job's day, says what it did in counts, and a second run (a retry
after a kill) builds nothing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from otbill.domain.jobs import Job
from otbill.rules.context import ScrubContext
from otbill.services.jobs import RunningJob, kind_named, queue_job
from otbill.services.jobs.claims_build import KIND, build_arguments
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import PROFILES, RULES, record_visit
from support.clinickit import seed_clinic

DAY = dt.date(2025, 2, 10)
WIRING = SimpleNamespace(rules=RULES,
                         scrub_context=lambda today: ScrubContext(profiles=PROFILES, today=today))  # fmt: skip


class _Kept:
    def submit(self, job: Job) -> None:
        """The test runs the job's function itself."""

    def lost(self, job: Job) -> bool:
        return False


def _run(db: Database, job: Job) -> dict[str, Any]:
    with db.unit_of_work(job.clinic_id) as uow:
        kept = uow.jobs.get(job.id)
    return kind_named(KIND).run(db, RunningJob(kept, db, {"wiring": WIRING}))


def test_builds_the_visits_through_the_day_once(db: Database) -> None:
    ids = seed_clinic(db)
    record_visit(db, ids, DAY - dt.timedelta(days=3), [visits.Service("97165", 45)],
                 note_type="evaluation")  # fmt: skip
    record_visit(db, ids, DAY, [visits.Service("97530", 24)])
    record_visit(db, ids, DAY + dt.timedelta(days=4), [visits.Service("97110", 30)])
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, KIND, build_arguments(DAY), f"{DAY}:1")
    first = _run(db, job)
    assert first["built"] == 2 and first["ready"] + first["held"] == 2
    assert first["later"] == 1 and first["first_later"] == "2025-02-14"
    assert first["self_pay"] == {"charged": 0, "by_package": 0, "unpriced": []}
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.jobs.get(job.id).total == 2  # progress written at the end
    second = _run(db, job)
    assert second["built"] == 0 and second["later"] == 1
