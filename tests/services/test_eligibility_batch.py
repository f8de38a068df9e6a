"""The eligibility batch: who is asked, a killed run resumed without asking again, failures."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import pytest

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.clearinghouse.transport import TransportError
from otbill.domain.schedule import Appointment
from otbill.payers import load_profiles
from otbill.services.exchange.eligibility import check_coverage
from otbill.services.exchange.eligibility_batch import (
    ALREADY_CHECKED,
    BatchOptions,
    run_batch,
    start_run,
)
from otbill.services.frontdesk import patients
from otbill.storage import Database
from otbill.storage.tables import VisitRow
from otbill.x12.read_270 import read_270
from support.clinickit import Ids, seed_clinic

TODAY = dt.date(2025, 6, 9)
DAY = dt.date(2025, 6, 10)
PROFILES = load_profiles()


def _patient(db: Database, ids: Ids, n: int, member_id: str, **coverage: object) -> tuple[int, int]:
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        patient = patients.add_patient(uow, mrn=f"B{n}", first_name=f"Pat{n}", last_name="Batch",
                                       dob=dt.date(1950, 1, 1 + n % 28), sex="F")  # fmt: skip
        values = {"effective_from": dt.date(2024, 1, 1), **coverage}
        cov = patients.add_coverage(
            uow, patient_id=patient, payer_id=ids.commercial, member_id=member_id, **values
        )  # type: ignore[arg-type]
    return patient, cov


def _book(db: Database, ids: Ids, patient: int, on: dt.date = DAY, status: str = "booked") -> int:
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        slot = Appointment(0, ids.otr, None, patient, None, on, 480 + patient, 30, "daily",
                           status=status)  # fmt: skip
        return uow.schedule.add(slot)


def _traces(payer: SimulatedEligibilityPayer) -> list[str]:
    return [read_270(r).inquiries[0].trace for r in payer.requests]


def _start(db: Database, ids: Ids, kind: str = "scheduled", on: dt.date = DAY) -> int:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return start_run(uow, on, kind, today=TODAY)


def _run(db: Database, ids: Ids, run: int, payer: object, **options: int):  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    ended = run_batch(db, ids.clinic, ids.biller, run, transport=payer,  # type: ignore[arg-type]
                      profiles=PROFILES, today=TODAY, options=BatchOptions(**options),
                      progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    return ended, seen


def test_the_patients_booked_on_the_date_are_asked_once_on_their_primary_coverage(
    db: Database,
) -> None:
    ids = seed_clinic(db)
    _book(db, ids, ids.patient)  # Ann Lee: Medicare (priority 1) and Acme (priority 2)
    _book(db, ids, ids.patient)  # a second appointment the same day: still one question
    a, a_cov = _patient(db, ids, 1, "ACM100")  # active
    b, b_cov = _patient(db, ids, 2, "ACM106")  # inactive
    c, c_cov = _patient(db, ids, 3, "ACM107")  # AAA 72: not verified
    d, _ = _patient(db, ids, 4, "ACM200")
    e, _ = _patient(db, ids, 5, "ACM300", effective_to=dt.date(2025, 5, 31))  # ended before
    for p in (a, b, c, e):
        _book(db, ids, p)
    _book(db, ids, d, status="cancelled")
    _book(db, ids, d, on=DAY + dt.timedelta(days=1))
    run = _start(db, ids)
    payer = SimulatedEligibilityPayer()
    ended, seen = _run(db, ids, run, payer, concurrency=3, batch=2)
    assert (ended.state, ended.total, ended.answered, ended.failed) == ("finished", 4, 4, 0)
    assert (ended.active, ended.inactive, ended.not_verified) == (2, 1, 1)
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    members = sorted(read_270(r).inquiries[0].member_id for r in payer.requests)
    assert members == ["1EG4TE5MK73", "ACM100", "ACM106", "ACM107"]
    with db.unit_of_work(ids.clinic) as uow:
        items = uow.eligibility_runs.items(run)
        assert {i.coverage_id for i in items} == {ids.coverage, a_cov, b_cov, c_cov}
        assert sorted(_traces(payer)) == sorted(i.trace for i in items)
        for item in items:
            assert (item.state, item.attempts) == ("answered", 1)
            check = uow.eligibility.latest(item.coverage_id)
            assert check is not None and check.id == item.eligibility_check_id
            assert (check.trace, check.checked_on, check.date_of_service) == (
                item.trace, TODAY, DAY)  # fmt: skip
        assert uow.patients.coverage(a_cov).eligibility_verified_on == TODAY
        assert uow.patients.coverage(c_cov).eligibility_verified_on is None  # nothing verified
        results = {r.item.coverage_id: r for r in uow.eligibility_runs.results(run)}
        assert results[b_cov].active is False and results[b_cov].payer_name == "Acme Health"
        assert results[c_cov].status.startswith("not verified")
        assert uow.audit_reads.events(entity="eligibility_run", entity_id=str(run))
        # the same audit events as a single check keeps (check_coverage's store_check)
        [kept] = uow.audit_reads.events(entity="coverage", entity_id=str(a_cov))[-1:]
        assert kept.action == "coverage.eligibility" and kept.before is not None
        assert kept.after is not None and kept.after["eligibility_active"] is True
        assert kept.after["eligibility_check_id"] == results[a_cov].item.eligibility_check_id
        [unverified] = uow.audit_reads.events(entity="coverage", entity_id=str(c_cov))[-1:]
        assert unverified.action == "coverage.eligibility-unverified"
        assert unverified.after is not None
        assert unverified.after["eligibility_check_id"] == results[c_cov].item.eligibility_check_id


class Killed(BaseException):
    """The process dies (not an error the batch may catch)."""


@dataclass
class DyingPayer:
    """Answers ``answers`` requests, then every later exchange kills the run."""

    answers: int
    payer: SimulatedEligibilityPayer = field(default_factory=SimulatedEligibilityPayer)
    asked: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)  # by trace
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def exchange(self, request: bytes, payload_id: str | None = None) -> bytes:
        with self._lock:
            self.asked[read_270(request).inquiries[0].trace] = (payload_id, request)
            if len(self.asked) > self.answers:
                raise Killed
        return self.payer.exchange(request)


def test_a_killed_run_resumed_asks_only_what_it_has_no_answer_for(db: Database) -> None:
    ids = seed_clinic(db)
    for n in range(12):
        patient, _ = _patient(db, ids, n, f"ACM5{n:02d}0")
        _book(db, ids, patient)
    run = _start(db, ids)
    dying = DyingPayer(answers=5)
    with pytest.raises(Killed):
        _run(db, ids, run, dying, concurrency=2, batch=3)
    with db.unit_of_work(ids.clinic) as uow:
        before = {i.id: i for i in uow.eligibility_runs.items(run)}
        assert uow.eligibility_runs.get(run).state == "running"
    answered_first = {i.trace for i in before.values() if i.state == "answered"}
    asked_first = set(_traces(dying.payer))
    assert answered_first and answered_first <= asked_first
    assert _start(db, ids) == run  # the same date again resumes the unfinished run
    resending = DyingPayer(answers=100)
    ended, _ = _run(db, ids, run, resending, concurrency=2, batch=3)
    payer = resending.payer
    assert (ended.state, ended.total, ended.answered) == ("finished", 12, 12)
    again = _traces(payer)
    resent = set(again) & set(dying.asked)
    assert resent  # requests in flight at the kill, sent again...
    for trace in resent:  # ...with the same PayloadID and the same 270, byte for byte
        assert resending.asked[trace] == dying.asked[trace]
        assert dying.asked[trace][0] is not None
    assert len(again) == len(set(again)) == 12 - len(answered_first)
    assert not set(again) & answered_first  # nothing already answered is asked again
    with db.unit_of_work(ids.clinic) as uow:
        after = {i.id: i for i in uow.eligibility_runs.items(run)}
    for item_id, item in after.items():
        assert item.state == "answered"
        # a resend of a request in flight at the kill carries the same trace and attempt + 1
        if before[item_id].state == "sent":
            assert item.trace == before[item_id].trace and item.attempts == 2
        with db.unit_of_work(ids.clinic) as uow:
            assert len(uow.eligibility.of_coverage(item.coverage_id)) == 1  # kept once


@dataclass
class FlakyPayer:
    """Fails every request for the members it names (as a transport whose retries ran out)."""

    down_for: tuple[str, ...]
    payer: SimulatedEligibilityPayer = field(default_factory=SimulatedEligibilityPayer)

    def exchange(self, request: bytes) -> bytes:
        if read_270(request).inquiries[0].member_id in self.down_for:
            raise TransportError("https://ch.example/core: no answer after 3 tries (timed out)")
        return self.payer.exchange(request)


def test_failures_are_named_and_a_new_run_asks_only_them(db: Database) -> None:
    ids = seed_clinic(db)
    covs = []
    for n, member in enumerate(["ACM110", "ACM120", "ACM130"]):
        patient, cov = _patient(db, ids, n, member)
        covs.append(cov)
        _book(db, ids, patient)
    no_dob, dep_cov = _patient(db, ids, 9, "ACM140", relationship="child",
                               subscriber={"first_name": "Dad", "last_name": "Batch"})  # fmt: skip
    _book(db, ids, no_dob)
    run = _start(db, ids)
    ended, _ = _run(db, ids, run, FlakyPayer(("ACM120",)), concurrency=2)
    assert (ended.state, ended.total, ended.answered, ended.failed) == ("finished", 4, 2, 2)
    with db.unit_of_work(ids.clinic) as uow:
        items = {i.coverage_id: i for i in uow.eligibility_runs.items(run)}
    assert items[covs[1]].state == "failed"
    assert items[covs[1]].message == (
        "the payer could not be asked: https://ch.example/core: no answer after 3 tries (timed out)"
    )
    assert items[dep_cov].state == "failed" and items[dep_cov].attempts == 0
    assert items[dep_cov].message.startswith("not asked: coverage ")
    assert "date of birth" in items[dep_cov].message
    second = _start(db, ids)
    assert second != run  # the first run finished: a new one
    payer = SimulatedEligibilityPayer()
    ended, _ = _run(db, ids, second, payer)
    assert [read_270(r).inquiries[0].member_id for r in payer.requests] == ["ACM120"]
    with db.unit_of_work(ids.clinic) as uow:
        items = {i.coverage_id: i for i in uow.eligibility_runs.items(second)}
    assert items[covs[0]].message == ALREADY_CHECKED and items[covs[0]].state == "answered"
    assert items[covs[1]].state == "answered" and items[covs[1]].message == ""
    assert (ended.answered, ended.failed) == (3, 1)  # the record gap is still a gap


def test_a_coverage_checked_today_by_the_front_desk_is_not_asked(db: Database) -> None:
    ids = seed_clinic(db)
    patient, cov = _patient(db, ids, 1, "ACM111")
    _book(db, ids, patient)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        single = check_coverage(uow, cov, on=DAY, today=TODAY,
                                transport=SimulatedEligibilityPayer(), profiles=PROFILES)  # fmt: skip
    run = _start(db, ids)
    payer = SimulatedEligibilityPayer()
    ended, _ = _run(db, ids, run, payer)
    assert ended.total == 1 and ended.active == 1 and payer.requests == []
    with db.unit_of_work(ids.clinic) as uow:
        [item] = uow.eligibility_runs.items(run)
    assert item.eligibility_check_id == single.check_id


def test_plan_year_asks_patients_seen_lately_or_with_an_open_plan(db: Database) -> None:
    ids = seed_clinic(db)  # Ann Lee's plan of care (Feb 2025, 8 weeks) is closed by July
    year = dt.date(2025, 7, 1)
    seen, seen_cov = _patient(db, ids, 1, "ACM121")
    booked, booked_cov = _patient(db, ids, 2, "ACM122")
    planned, planned_cov = _patient(db, ids, 3, "ACM123")
    old, old_cov = _patient(db, ids, 4, "ACM124")
    ended_cov_patient, _ = _patient(db, ids, 5, "ACM125", effective_to=dt.date(2025, 6, 30))
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        for patient, cov, on in [(seen, seen_cov, dt.date(2025, 4, 15)),
                                 (old, old_cov, dt.date(2025, 3, 1)),
                                 (ended_cov_patient, seen_cov, dt.date(2025, 6, 1))]:  # fmt: skip
            uow.records.add(VisitRow(clinic_id=ids.clinic, patient_id=patient, coverage_id=cov,
                                     provider_id=ids.otr, date=on, place_of_service="11"))  # fmt: skip
        patients.add_plan_of_care(
            uow, patient_id=planned, certifying_npi="1234567893", certifying_name=("Sam", "Ng"),
            start=dt.date(2025, 6, 20), diagnoses=["M62.81"], goals="Dress alone",
            frequency_per_week=2, duration_weeks=6,
        )  # fmt: skip
    _book(db, ids, booked, on=dt.date(2025, 5, 20))
    _book(db, ids, old, on=dt.date(2025, 3, 2), status="cancelled")
    run = _start(db, ids, "plan-year", on=year)
    payer = SimulatedEligibilityPayer()
    ended, _ = _run(db, ids, run, payer)
    assert (ended.total, ended.answered) == (3, 3)
    with db.unit_of_work(ids.clinic) as uow:
        items = uow.eligibility_runs.items(run)
        assert uow.eligibility_runs.get(run).kind == "plan-year"
    assert {i.coverage_id for i in items} == {seen_cov, booked_cov, planned_cov}
    assert {i.date_of_service for i in items} == {year}
    assert _start(db, ids, "scheduled", on=year) != run  # another kind, another run


def test_worker_processes_share_the_requests_over_core_http(db: Database) -> None:
    from otbill.clearinghouse.core_http import CoreHttpTransport
    from otbill.clearinghouse.simulator.servers import Payers, serve_payers

    ids = seed_clinic(db)
    for n in range(9):
        patient, _ = _patient(db, ids, n, f"ACM7{n:02d}1")
        _book(db, ids, patient)
    run = _start(db, ids)
    with serve_payers(Payers(eligibility=SimulatedEligibilityPayer())) as simulator:
        line = CoreHttpTransport(simulator.core_url, "OTBILL", "SIM", retries=0)
        ended, _ = _run(db, ids, run, line, concurrency=4, processes=2, batch=4)
    assert (ended.state, ended.answered, ended.active) == ("finished", 9, 9)
    seen = simulator.log.snapshot()
    assert (seen["requests"], seen["payload_ids"], seen["traces"]) == (9, 9, 9)
    assert seen["duplicate_traces"] == {}
