"""Issue 14's kept summaries (migration 0028): each claim line's open balances equal the ledger's
after any postings and reversals; each claim's first-submission outcome follows its status
changes; the check names a line whose kept balance drifted; an upgraded clinic keeps its numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from otbill.domain.ledger import Kind
from otbill.domain.money import to_cents
from otbill.domain.record_errors import LedgerInvariantBroken
from otbill.services.ledger import LedgerEntry, balances, post
from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from otbill.storage.tables import ClaimStatusRow, DenialRow, RemittanceRow
from support.clinickit import Ids, insert_claim, seed_clinic
from support.ledgerkit import post_ops

ON = dt.date(2025, 3, 1)
FIRST, END = dt.date(2025, 1, 1), dt.date(2025, 12, 1)
LIMITS = [dt.date(2025, 3, 1), dt.date(2025, 1, 1)]

_OP = st.tuples(
    st.sampled_from(["charge", "payment", "patient_payment", "adjustment", "transfer", "reverse"]),
    st.integers(min_value=0, max_value=1),  # which line
    st.integers(min_value=1, max_value=20_000),  # cents
    st.integers(min_value=0, max_value=50),  # which posting to reverse
)


def _run(db: Database, ids: Ids, lines: list[int], ops: list, tag: str) -> None:  # type: ignore[type-arg]
    post_ops(db, (ids.clinic, ids.biller), lines, ops, tag, ON)


def _kept(db: Database, claim_id: int) -> dict[int, tuple[int, int]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT claim_line_id, insurance_cents, patient_cents FROM claim_line_balance "
                 "WHERE claim_id = :c"), {"c": claim_id},
        )  # fmt: skip
        return {line: (a, b) for line, a, b in rows}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_OP, min_size=1, max_size=14))
def test_kept_line_balances_equal_the_realized_ledger(db: Database, ops: list) -> None:  # type: ignore[type-arg]
    if not hasattr(db, "_ids"):
        db._ids, db._n = seed_clinic(db), 0  # type: ignore[attr-defined]
    db._n += 1  # type: ignore[attr-defined]
    ids, tag = db._ids, f"S{db._n}"  # type: ignore[attr-defined]
    claim, lines = insert_claim(db, ids, tag)
    _run(db, ids, lines, [("charge", 0, 9000, 0), ("charge", 1, 6000, 0), *ops], tag)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        realized = balances(uow, claim_id=claim).by_line
        assert uow.ledger.summary_mismatches() == []
    want = {
        line: (to_cents(b.payer_balance), to_cents(b.patient_balance))
        for line, b in realized.items()
    }
    assert _kept(db, claim) == want


def test_a_drifted_summary_is_named_and_stops_the_next_posting(db: Database) -> None:
    ids = seed_clinic(db)
    claim, (line, _) = insert_claim(db, ids, "C1")
    _run(db, ids, [line], [("charge", 0, 9000, 0), ("payment", 0, 4000, 0)], "d")
    assert _kept(db, claim) == {line: (5000, 0)}
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE claim_line_balance SET insurance_cents = 1"))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert uow.ledger.summary_mismatches(claim) == [
            f"claim line {line}: kept balances (insurance, patient cents) (1, 0), "
            "the ledger's (5000, 0)"
        ]
    with pytest.raises(LedgerInvariantBroken, match=f"claim line {line}: kept balances"):
        _run(db, ids, [line], [("payment", 0, 100, 0)], "e")


def _statuses(db: Database, ids: Ids, claim: int, steps: tuple[str, ...]) -> None:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for before, after in zip(("approved", *steps), steps, strict=False):
            uow.claims.add_status_change(claim, before, after, "test", ids.biller)


def _numbers(db: Database, ids: Ids) -> tuple[object, ...]:
    with db.unit_of_work(ids.clinic) as uow:
        owner = uow.owner_reports
        return (
            sorted(owner.open_line_balances(LIMITS)),
            sorted(owner.submission_outcomes(FIRST, END)),
            sorted(owner.decided_by_provider(FIRST, END), key=str),
            sorted(uow.reports.open_balances()),
            sorted(uow.reports.decided_claims(FIRST, END)),
        )


def test_outcomes_follow_status_changes_and_survive_the_upgrade(db: Database) -> None:
    ids = seed_clinic(db)
    c1, (l1, _) = insert_claim(db, ids, "C1")
    c2, (l2, _) = insert_claim(db, ids, "C2")
    _statuses(db, ids, c1, ("submitted", "accepted", "paid"))
    _statuses(db, ids, c2, ("submitted", "rejected", "submitted", "denied"))
    _run(db, ids, [l1, l2], [("charge", 0, 9000, 0), ("charge", 1, 7000, 0),
                             ("transfer", 0, 1000, 0), ("payment", 0, 5000, 0)], "u")  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        uow.claims.add_correction(c2, "C2R", "7", ids.biller)
        remit = uow.records.add(RemittanceRow(payer_id=ids.medicare, trace_number="T1",
                                              paid_on=ON, total_cents=0))  # fmt: skip
        uow.flush()
        denial = LedgerEntry("835:T1:C2:adj", Kind.ADJUSTMENT, l2, Decimal("70.00"),
                             group_code="CO", carc="197", remittance_id=remit.id)  # fmt: skip
        post(uow, denial, ON)
        uow.records.add(DenialRow(claim_id=c2, claim_line_id=l2, group_code="CO", carc="197",
                                  denied_on=ON, remittance_id=remit.id, amount_cents=7000))  # fmt: skip
    before = _numbers(db, ids)
    assert before[4] == [(dt.date(2025, 2, 14), ids.medicare, 1, 1)]  # C2: decided, denied
    assert before[1] == [(dt.date(2025, 2, 14), 2, 1, 1)]  # C2 rejected and replaced
    assert before[0] == [(ids.medicare, ids.patient, ids.otr, 1, 3000, 1000, 1)]  # C2 settled
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0027")
    assert current_revision(db.engine) == "0027"
    upgrade(db.engine)  # the backfill, from the ledger and the status history
    assert current_revision(db.engine) == head_revision()
    assert _numbers(db, ids) == before
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.ledger.summary_mismatches() == []
        assert uow.records.count(ClaimStatusRow) == 7
