"""No worker running (PostgreSQL): jobs that wait while no worker has sent a heartbeat for the
set minutes are named, for a clinic (its own jobs) and for the whole queue; a worker heard from
recently, or nothing waiting, says nothing; SQLite (jobs run in the web process) never does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from otbill.domain.jobs import Job
from otbill.services.jobs import queue_job
from otbill.services.jobs.health import NoWorker, clinic_without_worker, queue_without_worker
from otbill.services.jobs.owner_pdf import KIND, owner_pdf_arguments
from otbill.storage import Database
from support.clinickit import seed_clinic

TODO = ("INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) "
        "VALUES ('default', 'otbill.run_job', '{}', 'todo')")  # fmt: skip


class _Kept:
    def submit(self, job: Job) -> None:
        pass

    def lost(self, job: Job) -> bool:
        return False


def _sql(db: Database, statement: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement))


def test_waiting_jobs_with_no_worker_heard_from_are_named(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    assert clinic_without_worker(db, ids.clinic, 5) is None  # nothing waits
    arguments = owner_pdf_arguments(dt.date(2025, 3, 1), tmp_path)
    queue_job(db, _Kept(), ids.clinic, ids.biller, KIND, arguments, "waits")
    if db.backend != "postgresql":  # the web process runs its own jobs
        assert clinic_without_worker(db, ids.clinic, 5) is None
        assert queue_without_worker(db, 5) is None
        return
    never = clinic_without_worker(db, ids.clinic, 5)
    assert never == NoWorker(1, None)
    assert never.words == (
        "Jobs are waiting and no worker is running: start `otbill worker`. "
        "(1 job waiting; no worker is registered.)"
    )
    _sql(db, "INSERT INTO procrastinate_workers DEFAULT VALUES")  # heard from now
    assert clinic_without_worker(db, ids.clinic, 5) is None
    _sql(db, "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '12 minutes'")
    silent = clinic_without_worker(db, ids.clinic, 5)
    assert silent == NoWorker(1, 12) and "heard from 12 minute(s) ago" in silent.detail
    assert clinic_without_worker(db, ids.clinic, 15) is None  # not silent for 15 minutes yet

    assert queue_without_worker(db, 5) is None  # nothing in procrastinate's queue
    _sql(db, TODO)
    assert queue_without_worker(db, 5) == NoWorker(1, 12)
