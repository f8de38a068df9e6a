"""Two approvers at once: exactly one wins. A crash mid-build leaves no half-written claim."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from otbill.domain.record_errors import IllegalTransition, RecordError
from otbill.services.claims import build as claim_builder
from otbill.services.claims import lifecycle as claims
from otbill.services.clinic import setup as clinic
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ClaimRow, PostingRow
from support.claimflow import TODAY
from support.claimflow import build_all as _build
from support.claimflow import ready_claim as _ready_claim
from support.claimflow import record_visit as _visit
from support.claimflow import scrub_run as _run
from support.clinickit import seed_clinic


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgres"], indirect=True)
def test_two_approvers_exactly_one_wins(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        third = clinic.add_user(
            uow, username="approver3", full_name="A3", password="p", roles=["approver"]
        )
    claim_id = _ready_claim(db, ids)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(user: int) -> None:
        try:
            barrier.wait()
            with db.unit_of_work(ids.clinic, user) as uow:
                claims.approve(uow, claim_id, TODAY)
            outcomes[user] = "won"
        except RecordError as exc:
            outcomes[user] = type(exc).__name__

    threads = [threading.Thread(target=approve, args=(u,)) for u in (ids.approver, third)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["IllegalTransition", "won"], outcomes
    with db.unit_of_work(ids.clinic) as uow:
        claim = uow.records.get(ClaimRow, claim_id)
        assert claim.status == "approved"
        assert claim.approved_by in (ids.approver, third)
        assert uow.records.count(PostingRow) == 1  # the charge is posted once


def test_second_approval_is_illegal(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = _ready_claim(db, ids)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        claims.approve(uow, claim_id, TODAY)
    with pytest.raises(IllegalTransition), db.unit_of_work(ids.clinic, ids.approver2) as uow:
        claims.approve(uow, claim_id, TODAY)


def test_crash_mid_build_writes_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = seed_clinic(db)
    for day in (3, 5, 7):
        _visit(db, ids, dt.date(2025, 2, day), [visits.Service("97530", 30)])
    real = claim_builder._store
    calls = {"n": 0}

    def crashing_store(uow, pending, report):  # type: ignore[no-untyped-def]
        real(uow, pending, report)  # the first batch is flushed ...
        calls["n"] += 1
        raise RuntimeError("power cut")  # ... then the process dies

    monkeypatch.setattr(claim_builder, "_store", crashing_store)
    with pytest.raises(RuntimeError):
        _build(db, ids)
    assert calls["n"] == 1
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(ClaimRow) == 0
        assert uow.records.count(ClaimLineRow) == 0
    monkeypatch.setattr(claim_builder, "_store", real)
    assert len(_build(db, ids)) == 3
    _ = _run
