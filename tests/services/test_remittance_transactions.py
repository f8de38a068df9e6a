"""Posting an 835 in bounded transactions: another writer gets in while a long file posts, a run
stopped half-way keeps what it posted and finishes when run again (nothing twice), and a database
that stays busy is one plain error, never a traceback."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from otbill.domain.record_errors import LedgerInvariantBroken
from otbill.services.remittances import post as posting_module
from otbill.services.remittances import remittance_posting, turns
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from otbill.storage.busy import DatabaseBusy
from otbill.storage.tables import ClaimRow, EdiFileRow, PostingRow
from support.busykit import hold_write_lock, sqlite_file_database
from support.clinickit import Ids, seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim

TODAY = dt.date(2025, 3, 10)


def _file(db: Database, ids: Ids, count: int) -> bytes:
    numbers = [f"T{n}" for n in range(1, count + 1)]
    for number in numbers:
        submitted_claim(db, ids, number)
    return make_835("\n".join(paid_claim(n) for n in numbers), str(96 * count))


def _post(db: Database, ids: Ids, data: bytes, **kw: Any) -> Any:
    return post_remittance(db, ids.clinic, ids.biller, data, name="big.835", today=TODAY, **kw)


def _paid_claims(db: Database, ids: Ids) -> set[str]:
    with db.unit_of_work(ids.clinic) as uow:
        return {c.number for c in uow.records.find(ClaimRow) if c.status == "paid"}


def _counts(db: Database, ids: Ids) -> tuple[int, int]:
    with db.unit_of_work(ids.clinic) as uow:
        return uow.records.count(PostingRow), uow.records.count(EdiFileRow)


def test_a_run_stopped_half_way_keeps_its_claims_and_finishes_when_run_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_clinic(db)
    data = _file(db, ids, 5)
    before = _counts(db, ids)
    monkeypatch.setattr(posting_module, "CLAIMS_PER_TRANSACTION", 2)
    plan = remittance_posting.plan_claim

    def crash_on_t5(prefix: str, *args: Any) -> Any:
        if ":T5#" in prefix:
            raise RuntimeError("the process was killed here")
        return plan(prefix, *args)

    monkeypatch.setattr(remittance_posting, "plan_claim", crash_on_t5)
    with pytest.raises(RuntimeError):
        _post(db, ids, data)
    assert _paid_claims(db, ids) == {"T1", "T2", "T3", "T4"}  # committed two at a time
    postings, files = _counts(db, ids)
    assert files == before[1]  # the file is not marked posted until every claim is
    monkeypatch.setattr(remittance_posting, "plan_claim", plan)
    report = _post(db, ids, data)
    assert not report.already_posted
    assert (report.already_posted_claims, report.paid) == (4, 1)
    assert _paid_claims(db, ids) == {f"T{n}" for n in range(1, 6)}
    per_claim = (postings - before[0]) // 4
    assert _counts(db, ids) == (before[0] + 5 * per_claim, before[1] + 1)  # nothing twice
    assert _post(db, ids, data).already_posted


def test_another_writer_is_served_while_a_long_file_posts(
    tmp_path: Path, _sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_file_database(tmp_path, _sqlite_template, monkeypatch, busy_ms=10_000)
    ids = seed_clinic(db)
    data = _file(db, ids, 40)
    other, _ = submitted_claim(db, ids, "OTHER")  # not in the file
    plan = remittance_posting.plan_claim

    started = threading.Event()

    def slow(prefix: str, *args: Any) -> Any:
        time.sleep(0.1)  # 40 claims: four seconds of posting
        if ":T5#" in prefix:
            started.set()
        return plan(prefix, *args)

    monkeypatch.setattr(remittance_posting, "plan_claim", slow)
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(_post(db, ids, data)))
    worker.start()
    assert started.wait(10)
    begun = time.monotonic()
    with db.unit_of_work(ids.clinic, ids.biller) as uow:  # a biller saves a claim meanwhile
        uow.claims.change(other, payer_claim_number="ICN-MEANWHILE")
        uow.audit.record(ids.biller, "test.meanwhile", "claim", other, None, {"n": 1})
    waited = time.monotonic() - begun
    still_posting = worker.is_alive()
    worker.join(60)
    # one transaction for the file made it wait for the rest (3.5 s); one step is ~1 s at most
    assert waited < 2.0, f"the other writer waited {waited:.1f} s for the posting"
    assert still_posting
    assert result and result[0].paid == 40


def test_a_database_that_stays_busy_is_one_plain_error_and_the_file_finishes_later(
    tmp_path: Path, _sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_file_database(tmp_path, _sqlite_template, monkeypatch, busy_ms=100)
    monkeypatch.setattr(turns, "PAUSE_SECONDS", 0.01)
    ids = seed_clinic(db)
    data = _file(db, ids, 2)
    holder = hold_write_lock(db)
    try:
        with pytest.raises(DatabaseBusy) as caught:
            _post(db, ids, data)
    finally:
        holder.rollback()
        holder.close()
    assert str(caught.value) == (
        "big.835: the database stayed busy; 0 of 2 claim payment(s) posted and kept; "
        "post the same file again to finish (nothing posts twice)"
    )
    assert _post(db, ids, data).payments_total == Decimal(192)


def test_a_posting_waits_its_turn_and_says_so(
    tmp_path: Path, _sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_file_database(tmp_path, _sqlite_template, monkeypatch, busy_ms=100)
    monkeypatch.setattr(turns, "PAUSE_SECONDS", 0.4)
    ids = seed_clinic(db)
    data = _file(db, ids, 2)
    holder = hold_write_lock(db)
    release = threading.Timer(0.3, holder.rollback)
    release.start()
    notes: list[str] = []
    try:
        report = _post(db, ids, data, progress=lambda d, t, note: notes.append(note))
    finally:
        release.join()
        holder.close()
    assert report.paid == 2
    assert "the database is busy with another change; waiting our turn" in notes


def test_a_batch_whose_kept_balances_drifted_from_the_ledger_posts_nothing(db: Database) -> None:
    """The batch's end compares its claims' lines' kept balances with the postings summed afresh:
    a difference (here a line's kept balance edited by hand) rolls the batch back, naming it."""
    ids = seed_clinic(db)
    data = _file(db, ids, 3)
    before = _counts(db, ids)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE claim_line_balance SET insurance_cents = 1"))
    with pytest.raises(LedgerInvariantBroken, match=r"claim line \d+: kept balances .* more lines"):
        _post(db, ids, data)
    assert _counts(db, ids) == before and _paid_claims(db, ids) == set()
