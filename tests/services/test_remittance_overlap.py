"""An 835's steps written while the next is planned (PostgreSQL; SQLite posts them one after the
other, and must end the same): a step whose writing found the database busy is run again alone
and the file ends as if it had not; any other failure rolls its step back, leaves the steps
before it, and the file finishes when posted again."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pytest
from sqlalchemy import String, cast, create_engine, select

from otbill import clock
from otbill.domain.audit_postings import REMITTANCE_POSTINGS
from otbill.domain.record_errors import LedgerInvariantBroken
from otbill.services.remittances import overlap
from otbill.services.remittances import post as posting_module
from otbill.services.remittances.post import post_remittance
from otbill.services.remittances.remittance_posting import PlannedStep, RemittancePosting
from otbill.storage import Database
from otbill.storage.busy import DatabaseBusy
from otbill.storage.tables import AuditEventRow, ClaimRow, PostingRow
from support.clinickit import Ids, seed_clinic
from support.remitkit import clinic_paid_in_full, make_835, paid_claim, submitted_claim

TODAY = dt.date(2025, 3, 10)
CLAIMS = 9  # three steps of three


def _clinic(db: Database, code: str, n: int) -> tuple[Ids, bytes]:
    return clinic_paid_in_full(db, code, n, "V", CLAIMS)


def _post(db: Database, ids: Ids, data: bytes) -> Any:
    return post_remittance(db, ids.clinic, ids.biller, data, name="v.835", today=TODAY,
                           any_payee=True)  # fmt: skip


def _ledger(db: Database, clinic: int) -> dict[str, Any]:
    """Each claim's status and its 835 postings (key, kind, cents), by claim number."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(ClaimRow.number, ClaimRow.status, PostingRow.source_key, PostingRow.kind,
                   PostingRow.amount_cents)
            .outerjoin(PostingRow, PostingRow.claim_id == ClaimRow.id)
            .where(ClaimRow.clinic_id == clinic)
        ).all()  # fmt: skip
    out: dict[str, Any] = {}
    for number, status, key, kind, cents in rows:
        claim = out.setdefault(number, {"status": status, "postings": set()})
        if key is not None and key.startswith("835:"):
            claim["postings"].add((key, kind, cents))
    return out


@pytest.fixture
def steps_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting_module, "CLAIMS_PER_TRANSACTION", 3)
    monkeypatch.setattr(posting_module, "STEP_SECONDS", 600.0)


def _failing_once(
    monkeypatch: pytest.MonkeyPatch, error: Exception, at_step: int
) -> list[PlannedStep]:
    """``write_claims`` raises ``error`` the ``at_step``-th time it is called; returns the
    steps it was called with."""
    write = RemittancePosting.write_claims
    calls: list[PlannedStep] = []

    def failing(self: RemittancePosting, step: PlannedStep) -> Any:
        calls.append(step)
        if len(calls) == at_step:
            raise error
        return write(self, step)

    monkeypatch.setattr(RemittancePosting, "write_claims", failing)
    return calls


@pytest.mark.usefixtures("steps_of_three")
def test_a_step_that_found_the_database_busy_runs_again_and_the_file_ends_the_same(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin, twin_data = _clinic(db, "OVT", 1)
    _post(db, twin, twin_data)
    whole = _ledger(db, twin.clinic)
    paid = {n: (c["status"], len(c["postings"])) for n, c in whole.items() if "-" not in n}
    assert paid == {f"V{i}": ("paid", 6) for i in range(1, CLAIMS + 1)}
    assert len(whole) == 2 * CLAIMS  # each hands on to the secondary payer's claim, a draft
    ids, data = _clinic(db, "OVB", 0)
    calls = _failing_once(monkeypatch, DatabaseBusy("could not obtain lock"), at_step=2)
    report = _post(db, ids, data)
    assert len(calls) == 4  # three steps, the second twice
    assert (report.claims, report.paid, report.postings) == (CLAIMS, CLAIMS, 6 * CLAIMS)
    assert _ledger(db, ids.clinic) == whole
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.audit_reads.verify() == []  # the chain whole, the busy step's events once


@pytest.mark.usefixtures("steps_of_three")
def test_a_step_that_failed_is_rolled_back_with_nothing_after_it_and_the_file_finishes_later(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, data = _clinic(db, "OVF", 0)
    broken = LedgerInvariantBroken("line 1 of claim V4: kept balance differs from the ledger")
    with monkeypatch.context() as patch:
        _failing_once(patch, broken, at_step=2)
        with pytest.raises(LedgerInvariantBroken):
            _post(db, ids, data)
    after = _ledger(db, ids.clinic)
    posted = {n for n, c in after.items() if c["postings"]}
    assert posted == {"V1", "V2", "V3"}  # the first step; not the second, nor the third planned
    assert set(after) == {f"V{i}" for i in range(1, CLAIMS + 1)} | {"V1-S", "V2-S", "V3-S"}
    assert all(after[f"V{i}"]["status"] == "submitted" for i in range(4, CLAIMS + 1))
    report = _post(db, ids, data)
    assert (report.already_posted_claims, report.paid) == (3, CLAIMS - 3)
    assert all(c["status"] == "paid" and len(c["postings"]) == 6
               for n, c in _ledger(db, ids.clinic).items() if "-" not in n)  # fmt: skip
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.audit_reads.verify() == []


@pytest.mark.usefixtures("steps_of_three")
def test_every_step_is_written_on_the_runs_as_of_day(db: Database) -> None:
    ids, data = _clinic(db, "OVD", 0)
    day = dt.date(2025, 4, 1)
    with clock.as_of(day):  # the demo's and the tests' clock: the writer's thread keeps it
        _post(db, ids, data)
    with db.engine.connect() as conn:
        stamps = conn.execute(
            select(PostingRow.posted_at, AuditEventRow.at)
            .join(AuditEventRow, AuditEventRow.entity_id == cast(PostingRow.claim_id, String))
            .where(PostingRow.clinic_id == ids.clinic, AuditEventRow.clinic_id == ids.clinic,
                   PostingRow.source_key.startswith("835:"),
                   AuditEventRow.action == REMITTANCE_POSTINGS)
        ).all()  # fmt: skip
    assert len({posted for posted, _ in stamps}) >= 3  # the three steps' own times
    assert {posted.date() for posted, _ in stamps} == {at.date() for _, at in stamps} == {day}


def test_steps_overlap_only_on_postgresql_with_three_connections_to_lend(db: Database) -> None:
    url = db.engine.url
    if db.backend != "postgresql":
        assert not posting_module._overlaps(db)  # one writer: the steps one after the other
        return
    assert posting_module._overlaps(db)
    for size, overflow, overlaps in ((1, 1, False), (2, 1, True), (1, -1, True)):
        small = Database(create_engine(url, pool_size=size, max_overflow=overflow), migrate=False)
        try:
            assert posting_module._overlaps(small) is overlaps, (size, overflow)
        finally:
            small.dispose()


@pytest.mark.usefixtures("steps_of_three")
def test_a_payment_for_a_claim_the_step_before_handed_on_finds_that_claim(db: Database) -> None:
    """V1's payment hands on to the secondary payer's claim V1-S (a draft) in the first step;
    the second step pays V1-S: it must find the claim (in a state where no payment is
    expected), as it does when the first step was committed before it was planned."""
    ids = seed_clinic(db, code="OVH")
    for number in ("V1", "V2", "V3"):
        submitted_claim(db, ids, number)
    body = [paid_claim(n) for n in ("V1", "V2", "V3")] + [paid_claim("V1-S")]
    report = _post(db, ids, make_835("\n".join(body), str(96 * 4)))
    (outcome,) = [o for o in report.outcomes if o.claim_number == "V1-S"]
    assert (outcome.outcome, outcome.detail) == (
        "unmatched",
        "claim is draft; a payment is not expected in that state",
    )


@pytest.mark.usefixtures("steps_of_three")
def test_the_first_overlapped_step_is_short_so_the_writer_starts_soon(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overlap, "FIRST_STEP", 2)
    ids, data = _clinic(db, "OVS", 0)
    told: list[int] = []
    post_remittance(db, ids.clinic, ids.biller, data, name="v.835", today=TODAY, any_payee=True,
                    progress=lambda done, _total, _note: told.append(done))  # fmt: skip
    steps = [b - a for a, b in zip([0, *told], told, strict=False) if b > a]
    assert steps == ([2, 3, 3, 1] if db.backend == "postgresql" else [3, 3, 3])


@pytest.mark.usefixtures("steps_of_three")
def test_the_collector_runs_less_often_while_a_file_posts_and_as_before_after(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, data = _clinic(db, "OVG", 0)
    before = gc.get_threshold()
    during: list[tuple[int, ...]] = []
    post_remittance(db, ids.clinic, ids.biller, data, name="v.835", today=TODAY, any_payee=True,
                    progress=lambda *_: during.append(gc.get_threshold()))  # fmt: skip
    assert during and all(t[0] == max(posting_module.COLLECT_AFTER, before[0]) for t in during)
    assert gc.get_threshold() == before
    broken = LedgerInvariantBroken("line 1 of claim V1: kept balance differs from the ledger")
    ids, data = _clinic(db, "OVX", 1)
    _failing_once(monkeypatch, broken, at_step=1)
    with pytest.raises(LedgerInvariantBroken):
        _post(db, ids, data)
    assert gc.get_threshold() == before  # restored when the posting failed too
