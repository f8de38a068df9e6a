"""A job taken again while its first attempt still runs (issue 15's flake, H7: the stalled-job
sweep took a worker late with its heartbeat for a dead one): the second attempt waits for the
first, then finds the job done and runs nothing; the sweep sees the job's lock held and leaves
it (PostgreSQL; on SQLite one process runs the jobs)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from otbill.domain.jobs import Job
from otbill.services.jobs import RunningJob, job_kind, queue_job, run_job
from otbill.services.jobs.worker import _still_running
from otbill.storage import Database
from otbill.storage.job_locks import JOB_LOCK_CLASS, job_running
from support.clinickit import seed_clinic

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]

HELD = "test.held"
_started, _go = threading.Event(), threading.Event()
_runs: list[int] = []


@job_kind(HELD, "held job")
def held(db: Database, job: RunningJob) -> dict[str, Any]:
    """Runs until the test lets it go; counts its runs."""
    _runs.append(job.record.attempts)
    _started.set()
    assert _go.wait(60)
    return {"run": len(_runs)}


class _Kept:
    def submit(self, job: Job) -> None:
        """The test runs the job itself."""

    def lost(self, job: Job) -> bool:
        return False


def _waiting_for(db: Database, job_id: int) -> bool:
    """Whether an attempt waits for the job's lock (an advisory lock not granted)."""
    query = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
             " AND classid = :class AND objid = :job")  # fmt: skip
    with db.engine.connect() as conn:
        return bool(conn.execute(text(query), {"class": JOB_LOCK_CLASS, "job": job_id}).scalar())


def test_a_second_attempt_waits_for_the_first_and_runs_nothing(db: Database) -> None:
    for event in (_started, _go):
        event.clear()
    _runs.clear()
    ids = seed_clinic(db)
    job = queue_job(db, _Kept(), ids.clinic, ids.biller, HELD, {}, "once")
    ended: dict[str, Job] = {}

    def attempt(name: str) -> None:
        ended[name] = run_job(db, ids.clinic, job.id, {}, final=False)

    first = threading.Thread(target=attempt, args=("first",))
    first.start()
    assert _started.wait(60)
    assert job_running(db, job.id) and _still_running(db, {"job_id": job.id})
    second = threading.Thread(target=attempt, args=("second",))
    second.start()
    deadline = time.monotonic() + 60
    while not _waiting_for(db, job.id):
        assert time.monotonic() < deadline and second.is_alive(), ended
        time.sleep(0.05)
    _go.set()
    first.join(60)
    second.join(60)
    assert _runs == [1]  # run once, by the first attempt
    assert ended["first"].state == ended["second"].state == "done"
    assert ended["second"].result == {"run": 1} and ended["second"].attempts == 1
    assert not job_running(db, job.id) and not _still_running(db, {"job_id": job.id})
