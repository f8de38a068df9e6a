"""The web's generic job registry: clinic-scoped lookup, the worker's context, old jobs dropped."""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass
from types import SimpleNamespace

from otbill.web import jobs as jobs_module
from otbill.web.jobs import Jobs, new_job_id, on_app_state

_DAY: contextvars.ContextVar[str] = contextvars.ContextVar("_DAY", default="unset")


@dataclass
class _Job:
    id: str
    clinic_id: int
    seen: str = ""
    finished_at: float | None = None


def _work(job: _Job) -> None:
    job.seen = _DAY.get()  # the worker sees the request's context, copied at queue time
    job.finished_at = time.monotonic()


def test_a_job_is_found_only_by_its_own_clinic_and_runs_with_the_requests_context():
    registry: Jobs[_Job] = Jobs("otbill-test")
    _DAY.set("2026-03-02")
    job = _Job(new_job_id(), clinic_id=1)
    assert registry.queue(job, _work, job) is job
    registry.wait(10)
    assert job.seen == "2026-03-02"
    assert registry.get(job.id, 1) is job
    assert registry.get(job.id, 2) is None
    assert registry.get("nope", 1) is None


def test_finished_jobs_are_dropped_after_the_keep_time_and_running_ones_never():
    registry: Jobs[_Job] = Jobs("otbill-test")
    old = _Job(new_job_id(), 1, finished_at=time.monotonic() - jobs_module.KEEP_SECONDS - 1)
    running = _Job(new_job_id(), 1)
    registry.queue(old, lambda: None)
    registry.queue(running, lambda: None)
    registry.queue(_Job(new_job_id(), 1), lambda: None)  # queueing is when old ones go
    registry.wait(10)
    assert registry.get(old.id, 1) is None
    assert registry.get(running.id, 1) is running


def test_the_apps_registry_is_made_once_and_kept_on_app_state():
    state = SimpleNamespace()
    first = on_app_state(state, "test_jobs", lambda: Jobs[_Job]("otbill-test"))
    assert on_app_state(state, "test_jobs", lambda: Jobs[_Job]("otbill-other")) is first
    assert state.test_jobs is first
    assert new_job_id() != new_job_id()
