"""Issue 14's ledger flows per day of service (migration 0034): ``collection_day`` equals the
charges, CO adjustments and payments the operations posted (reversals netted) after any
postings and reversals, on SQLite and PostgreSQL; a drifted day is named; a downgrade and
upgrade with rows keeps the net collection rate's inputs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from otbill.storage import Database
from otbill.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from otbill.storage.repositories.owner_collections import collection_day_mismatches
from support.clinickit import Ids, another_clinic, insert_claim, seed_clinic
from support.ledgerkit import post_ops

ON = dt.date(2025, 3, 1)
DAYS = (dt.date(2025, 2, 14), dt.date(2025, 2, 20))  # the two claims' days of service
FIRST, END = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
_COLUMN = {"charge": 0, "adjustment": 1, "payment": 2, "patient_payment": 3}

_OP = st.tuples(
    st.sampled_from(["charge", "payment", "patient_payment", "adjustment", "transfer", "reverse"]),
    st.integers(min_value=0, max_value=3),  # which line (of two claims, two lines each)
    st.integers(min_value=1, max_value=20_000),  # cents
    st.integers(min_value=0, max_value=50),  # which posting to reverse
)


def _claims(db: Database, ids: Ids, tag: str) -> list[int]:
    """Two claims' lines, the second claim served on DAYS[1]."""
    lines: list[int] = []
    for n, day in enumerate(DAYS):
        claim, claim_lines = insert_claim(db, ids, f"{tag}-{n}")
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE claim SET date_of_service = :d WHERE id = :i"),
                         {"d": day, "i": claim})  # fmt: skip
        lines += claim_lines
    return lines


def _truth(ops: list) -> dict[dt.date, tuple[int, ...]]:  # type: ignore[type-arg]
    """Day -> (charges, CO adjustments, payer payments, patient payments) the operations
    leave, in plain Python (a reversal takes back the posting post_ops would pick)."""
    sums: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    made: list[tuple[str, int, int]] = []
    for op, which, cents, pick in ops:
        sign = 1
        if op == "reverse":
            if not made:
                continue
            (op, which, cents), sign = made.pop(pick % len(made)), -1
        else:
            made.append((op, which, cents))
        if op in _COLUMN:  # a transfer moves money between payer and patient: no flow here
            sums[DAYS[which // 2]][_COLUMN[op]] += sign * cents
    return {day: tuple(s) for day, s in sums.items()}


def _kept(db: Database, ids: Ids) -> dict[dt.date, tuple[int, ...]]:
    with db.unit_of_work(ids.clinic) as uow:
        rows = uow.owner_reports.collections(FIRST, END)
    return {day: tuple(int(v) for v in sums) for day, *sums in rows}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(_OP, min_size=1, max_size=14))
def test_kept_days_equal_what_the_operations_posted(db: Database, ops: list) -> None:  # type: ignore[type-arg]
    ids = another_clinic(db)
    ops = [*(("charge", i, 9000, 0) for i in range(4)), *ops]
    post_ops(db, (ids.clinic, ids.biller), _claims(db, ids, "S"), ops, "S", ON)
    zero = (0, 0, 0, 0)
    truth = {day: sums for day, sums in _truth(ops).items() if sums != zero}
    assert {day: sums for day, sums in _kept(db, ids).items() if sums != zero} == truth
    with db.unit_of_work(ids.clinic) as uow:
        assert collection_day_mismatches(uow.session, ids.clinic) == []


def test_a_drifted_day_is_named_and_the_upgrade_refills_it(db: Database) -> None:
    ids = seed_clinic(db)
    ops = [("charge", 0, 9000, 0), ("charge", 2, 6000, 0), ("payment", 0, 5000, 0),
           ("adjustment", 0, 3000, 0), ("patient_payment", 2, 1000, 0), ("reverse", 0, 0, 2)]  # fmt: skip
    post_ops(db, (ids.clinic, ids.biller), _claims(db, ids, "U"), ops, "u", ON)
    before = _kept(db, ids)
    assert before == {DAYS[0]: (9000, 3000, 0, 0), DAYS[1]: (6000, 0, 0, 1000)}  # payment reversed
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE collection_day SET charge_cents = 1"))
    with db.unit_of_work(ids.clinic) as uow:
        assert collection_day_mismatches(uow.session, ids.clinic)[0] == (
            f"{DAYS[0]}: kept (charges, contractual adjustments, payer payments, patient "
            "payments) (1, 3000, 0, 0), the ledger's (9000, 3000, 0, 0)"
        )
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0033")
    assert current_revision(db.engine) == "0033"
    upgrade(db.engine)  # the backfill, from the ledger
    assert current_revision(db.engine) == head_revision()
    assert _kept(db, ids) == before
    with db.unit_of_work(ids.clinic) as uow:
        assert collection_day_mismatches(uow.session, ids.clinic) == []
