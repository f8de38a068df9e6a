"""Overlapping claim pipeline runs (issue 15's flake, H7): a second run of the same visits started
while the first is storing waits for it and builds nothing (PostgreSQL: two workers); a claim
number taken by another build meanwhile makes the batch build again, and when it stays taken, a
finding in the counts rather than a failed run (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import text

from otbill.services.claims import batch_pipeline
from otbill.services.claims.batch_pipeline import PipelineCounts, run_batch
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.repositories.claims import ClaimRepository
from otbill.storage.tables import ClaimRow, ClaimVisitRow
from support.claimflow import RULES, record_visit, scrub_run
from support.clinickit import Ids, seed_clinic

DAY = dt.date(2025, 2, 3)


def _day_visits(db: Database, ids: Ids, days: int) -> list[int]:
    return [
        record_visit(db, ids, DAY + dt.timedelta(days=n), [visits.Service("97530", 30)])
        for n in range(days)
    ]


def _run(db: Database, ids: Ids, visit_ids: list[int]) -> PipelineCounts:
    return run_batch(db, ids.clinic, ids.biller, visit_ids, run=scrub_run(), rules=RULES)


def _billed(db: Database, ids: Ids) -> tuple[list[int], list[str]]:
    """The visits on claims (once each, or more), and the claim numbers."""
    with db.unit_of_work(ids.clinic) as uow:
        links = sorted(link.visit_id for link in uow.records.find(ClaimVisitRow))
        numbers = sorted(claim.number for claim in uow.records.find(ClaimRow))
    return links, numbers


def _blocked_by(db: Database, pid: int) -> bool:
    """Whether another backend waits for a lock the backend ``pid`` holds."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
    with db.engine.connect() as conn:
        return bool(conn.execute(text(query), {"pid": pid}).scalar())


@pytest.mark.parametrize("db", ["postgres"], indirect=True)
def test_a_run_started_while_another_stores_the_same_visits_waits_and_builds_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_clinic(db)
    visit_ids = _day_visits(db, ids, 3)
    stored, release = threading.Event(), threading.Event()
    original, holder, built = batch_pipeline._batch, [], []

    def paused(uow: Any, *args: Any) -> Any:
        built.append(threading.current_thread().name)  # each try, even one that fails
        done = original(uow, *args)
        if threading.current_thread().name == "first":  # stored, not yet committed
            holder.append(uow.session.execute(text("SELECT pg_backend_pid()")).scalar())
            stored.set()
            release.wait(60)
        return done

    monkeypatch.setattr(batch_pipeline, "_batch", paused)
    results: dict[str, PipelineCounts | BaseException] = {}

    def run(name: str) -> None:
        try:
            results[name] = _run(db, ids, visit_ids)
        except BaseException as error:  # the test reads it below
            results[name] = error

    first = threading.Thread(target=run, args=("first",), name="first")
    second = threading.Thread(target=run, args=("second",), name="second")
    first.start()
    assert stored.wait(60)
    second.start()
    deadline = time.monotonic() + 60
    while not _blocked_by(db, holder[0]):  # the second run is held until the first commits
        assert time.monotonic() < deadline and second.is_alive(), results
        time.sleep(0.05)
    release.set()
    first.join(60)
    second.join(60)
    one, two = results["first"], results["second"]
    assert isinstance(one, PipelineCounts) and isinstance(two, PipelineCounts), results
    assert (one.claims, one.already_billed) == (3, 0)
    assert (two.claims, two.already_billed, two.number_taken) == (0, 3, 0)
    assert built == ["first", "second"]  # the second saw the first's claims: no number clashed
    links, numbers = _billed(db, ids)
    assert links == sorted(visit_ids) and len(set(numbers)) == len(numbers) == 3


def _stale_numbers(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """The claim numbers in use read as none the first ``times`` reads, as when another build
    took one after this one looked (what the lock in ``hold_for_billing`` rules out)."""
    real = ClaimRepository.numbers
    reads: list[int] = []

    def numbers(self: ClaimRepository, patient_ids: Iterable[int] | None) -> set[str]:
        reads.append(1)
        return set() if len(reads) <= times else real(self, patient_ids)

    monkeypatch.setattr(ClaimRepository, "numbers", numbers)
    return reads


def _billed_day_and_a_late_visit(db: Database) -> tuple[Ids, list[int], list[int]]:
    """A visit on its claim, then another of the same patient, coverage and day (a late
    charge: its claim number gets a suffix)."""
    ids = seed_clinic(db)
    first = _day_visits(db, ids, 1)
    assert _run(db, ids, first).claims == 1
    return ids, first, _day_visits(db, ids, 1)


def test_a_claim_number_taken_meanwhile_builds_the_batch_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, first, late = _billed_day_and_a_late_visit(db)
    reads = _stale_numbers(monkeypatch, times=1)
    counts = _run(db, ids, late)
    assert len(reads) == 2  # built again once, with the numbers as committed
    assert (counts.claims, counts.number_taken, counts.findings) == (1, 0, [])
    links, numbers = _billed(db, ids)
    assert links == sorted(first + late) and numbers[1] == numbers[0] + "-2"


def test_a_claim_number_still_taken_is_a_finding_not_a_failure(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, first, late = _billed_day_and_a_late_visit(db)
    _stale_numbers(monkeypatch, times=batch_pipeline.NUMBER_RETRIES + 1)
    counts = _run(db, ids, late)
    assert (counts.claims, counts.number_taken) == (0, 1)
    assert counts.findings and "run this batch again" in counts.findings[0]
    assert _billed(db, ids)[0] == first  # nothing half-stored
    monkeypatch.undo()
    again = _run(db, ids, late)  # the next run builds it
    assert (again.claims, again.number_taken) == (1, 0)
