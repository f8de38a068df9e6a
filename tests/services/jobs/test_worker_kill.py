"""A real ``otbill worker`` on PostgreSQL, killed with SIGKILL in the middle of posting an 835:
another worker takes the job again once the first one's heartbeat stops, and the claims end as
an uninterrupted run leaves them (the 835 posted in-process on a fresh SQLite database)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from otbill.domain.jobs import Job
from otbill.services.jobs import QueueRunner, job_of, queue_job, run_job
from otbill.services.jobs.posting import posting_arguments
from otbill.storage import Database
from support import slow_jobs
from support.clinickit import seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim
from support.shared import REPO_ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]

CLAIMS = 12
TODAY = dt.date(2025, 3, 10)
_QUEUE_TABLES = "procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers"


def _claims_and_835(db: Database) -> tuple[int, int, bytes]:
    ids = seed_clinic(db)
    numbers = [f"K{n}" for n in range(1, CLAIMS + 1)]
    for number in numbers:
        submitted_claim(db, ids, number)
    data = make_835("\n".join(paid_claim(n) for n in numbers), str(96 * CLAIMS))
    return ids.clinic, ids.biller, data


def _outcome(db: Database) -> tuple[dict[str, str], list[tuple[str, int, int]]]:
    """Each claim's status, and the postings by kind (count, cents)."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT number, status FROM claim")).all()
        statuses: dict[str, str] = {str(number): str(status) for number, status in rows}
        postings = conn.execute(
            text(
                "SELECT kind, count(*), sum(amount_cents) FROM posting GROUP BY kind ORDER BY kind"
            )
        ).all()
    return statuses, [(k, int(n), int(c)) for k, n, c in postings]


@pytest.fixture
def workers(db: Database, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "OTBILL_DATABASE_URL": db.engine.url.render_as_string(False),
           "OTBILL_JOB_MODULES": "support.slow_jobs", "OTBILL_DATA_DIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT / "tests")])}  # fmt: skip

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker{len(started)}.log").open("wb")
        command = [sys.executable, "-m", "otbill.cli", "worker", "--stalled-after", "3"]
        started.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)


def _until(check: Callable[[], Job], ready: Callable[[Job], bool], seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while True:
        job = check()
        if ready(job) or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def test_a_killed_workers_job_is_taken_again_and_ends_as_an_uninterrupted_run(
    db: Database, tmp_path: Path, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    with db.engine.begin() as conn:  # jobs other tests left in the run's schema
        conn.execute(text(f"TRUNCATE {_QUEUE_TABLES} CASCADE"))
    clinic, biller, data = _claims_and_835(db)
    arguments = {**posting_arguments("big.835", data, TODAY), "delay": 0.4}
    job = queue_job(db, QueueRunner(db), clinic, biller, slow_jobs.SLOW_POST, arguments, "big")
    first = workers()
    look = lambda: job_of(db, clinic, job.id)  # noqa: E731
    midway = _until(look, lambda j: j.done >= 3, 120)
    assert midway.state == "running" and 3 <= midway.done < CLAIMS, midway
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    stopped_at = look().done
    assert stopped_at < CLAIMS
    workers()  # another worker: takes the job again once the first one's heartbeat is stale
    ended = _until(look, lambda j: j.state in ("done", "failed"), 180)
    assert ended.state == "done", (ended, (tmp_path / "worker1.log").read_text())
    assert ended.attempts == 2  # the killed attempt and the one that finished
    assert ended.result is not None and ended.result["counts"]["claims"] == CLAIMS
    assert ended.result["counts"]["already_posted_claims"] >= stopped_at - 1

    reference = Database(f"sqlite:///{tmp_path / 'reference.db'}")
    ref_clinic, ref_biller, ref_data = _claims_and_835(reference)
    plain = queue_job(reference, _Kept(), ref_clinic, ref_biller, "remittances.post",
                      posting_arguments("big.835", ref_data, TODAY), "big")  # fmt: skip
    assert run_job(reference, ref_clinic, plain.id, {}).state == "done"
    assert _outcome(db) == _outcome(reference)
    statuses = _outcome(db)[0]
    assert {statuses[f"K{n}"] for n in range(1, CLAIMS + 1)} == {"paid"}  # and secondaries drafted
    reference.dispose()


class _Kept:
    def submit(self, job: Job) -> None:
        """The test runs the reference job itself."""

    def lost(self, job: Job) -> bool:
        return False
