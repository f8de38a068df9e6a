"""The job service: queue once per key, run, fail in words, retry, clinic scope (both databases)."""

from __future__ import annotations

from typing import Any

import pytest

from otbill.domain.jobs import Job
from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.jobs import JobRunner, ThreadRunner, job_of, newest_jobs, queue_job, run_job
from otbill.storage import Database
from support import slow_jobs
from support.clinickit import Ids, seed_clinic


class _Held:
    """A runner that keeps what it is given: the test runs the jobs itself."""

    def __init__(self) -> None:
        self.submitted: list[Job] = []

    def submit(self, job: Job) -> None:
        self.submitted.append(job)

    def lost(self, job: Job) -> bool:
        return False


def _queue(db: Database, ids: Ids, runner: JobRunner, kind: str, key: str, **arguments: Any) -> Job:
    return queue_job(db, runner, ids.clinic, ids.biller, kind, arguments, key)


def test_the_same_key_is_the_same_job_and_runs_once(db: Database) -> None:
    ids, runner = seed_clinic(db), _Held()
    first = _queue(db, ids, runner, slow_jobs.COUNT, "k", n=3)
    again = _queue(db, ids, runner, slow_jobs.COUNT, "k", n=3)
    assert again.id == first.id and [j.id for j in runner.submitted] == [first.id]
    assert first.state == "queued" and first.queued_by == ids.biller
    done = run_job(db, ids.clinic, first.id, {})
    assert (done.state, done.done, done.total, done.percent) == ("done", 3, 3, 100)
    assert done.result == {"counted": 3, "started_at": 0}
    assert run_job(db, ids.clinic, first.id, {}).attempts == 1  # delivered twice: not run again
    other = _queue(db, ids, runner, slow_jobs.COUNT, "k2", n=1)
    assert [j.id for j in newest_jobs(db, ids.clinic)] == [other.id, first.id]


def test_a_job_is_only_its_clinics(db: Database) -> None:
    a, b, runner = seed_clinic(db, "AAA", 0), seed_clinic(db, "BBB", 1), _Held()
    job = _queue(db, a, runner, slow_jobs.COUNT, "k", n=1)
    with pytest.raises(NotFound, match=f"job {job.id}: not found in this clinic"):
        job_of(db, b.clinic, job.id)
    assert newest_jobs(db, b.clinic) == []


def test_an_unknown_kind_is_refused_in_words(db: Database) -> None:
    ids = seed_clinic(db)
    with pytest.raises(OtbillError, match="job kind 'no.such': not known"):
        _queue(db, ids, _Held(), "no.such", "k")


def test_an_error_in_words_fails_the_job_at_once(db: Database) -> None:
    ids, runner = seed_clinic(db), _Held()
    job = _queue(db, ids, runner, slow_jobs.FAILS, "k", words="claim C1: no payer on file")
    ended = run_job(db, ids.clinic, job.id, {}, final=False)
    assert (ended.state, ended.error) == ("failed", "claim C1: no payer on file")
    assert ended.finished_at is not None


def test_a_bug_is_retried_then_failed_in_words_and_asking_again_queues_it_again(
    db: Database,
) -> None:
    ids, runner = seed_clinic(db), _Held()
    job = _queue(db, ids, runner, slow_jobs.FAILS, "k", works_on=3)
    with pytest.raises(RuntimeError):  # not the last attempt: the queue retries it
        run_job(db, ids.clinic, job.id, {}, final=False)
    waiting = job_of(db, ids.clinic, job.id)
    assert waiting.state == "queued"
    assert waiting.error == (
        "the failing job stopped on an unexpected error after 1 of 3; what was done is kept; "
        "it will be tried again shortly"
    )
    failed = run_job(db, ids.clinic, job.id, {}, final=True)
    assert failed.state == "failed" and failed.error.endswith("run it again to finish")
    again = _queue(db, ids, runner, slow_jobs.FAILS, "k", works_on=3)
    assert again.id == job.id and again.state == "queued" and len(runner.submitted) == 2
    done = run_job(db, ids.clinic, job.id, {})
    assert (done.state, done.result, done.error, done.attempts) == ("done", {"attempt": 3}, "", 3)


def test_a_stopped_job_goes_on_from_what_it_kept(db: Database) -> None:
    ids, runner = seed_clinic(db), _Held()
    job = _queue(db, ids, runner, slow_jobs.COUNT, "k", n=5)
    with db.unit_of_work(ids.clinic) as uow:  # as a killed worker leaves it
        uow.jobs.start(job.id)
        uow.jobs.keep(job.id, {"counted": 2})
    done = run_job(db, ids.clinic, job.id, {})
    assert done.result == {"counted": 5, "started_at": 2} and done.attempts == 2


def test_a_job_lost_with_its_process_is_run_again_when_asked_for(db: Database) -> None:
    ids = seed_clinic(db)
    job = _queue(db, ids, _Held(), slow_jobs.COUNT, "k", n=4)
    with db.unit_of_work(ids.clinic) as uow:  # the web process stopped while it ran
        uow.jobs.start(job.id)
        uow.jobs.keep(job.id, {"counted": 1})
    restarted = ThreadRunner(db, {})
    assert restarted.lost(job_of(db, ids.clinic, job.id))
    again = _queue(db, ids, restarted, slow_jobs.COUNT, "k", n=4)
    assert again.id == job.id
    restarted.wait(30)
    done = job_of(db, ids.clinic, job.id)
    assert done.result == {"counted": 4, "started_at": 1} and not restarted.lost(done)


class _Down(_Held):
    def submit(self, job: Job) -> None:
        raise ConnectionError("the queue's database is down")


def test_a_job_the_queue_cannot_take_fails_in_words_and_is_queued_again_when_asked(
    db: Database,
) -> None:
    ids = seed_clinic(db)
    refused = _queue(db, ids, _Down(), slow_jobs.COUNT, "k", n=1)
    assert refused.state == "failed"
    assert refused.error == (
        "the job could not be handed to the job queue (ConnectionError); nothing was done; "
        "ask for it again"
    )
    runner = _Held()
    again = _queue(db, ids, runner, slow_jobs.COUNT, "k", n=1)
    assert again.id == refused.id and again.state == "queued" and runner.submitted
