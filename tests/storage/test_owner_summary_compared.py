"""The owner's line balances compared with the ledger in the database (issue 15): a line kept
without postings, a line posted to without a kept row and a line kept with other cents are each
named, in line order, on SQLite and PostgreSQL; a claim's lines alone when asked for one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from otbill.storage import Database
from otbill.storage.repositories.owner_summary import summary_mismatches
from support.clinickit import insert_claim, seed_clinic
from support.ledgerkit import post_ops

ON = dt.date(2025, 3, 1)


def test_each_kind_of_drift_is_named_in_line_order(db: Database) -> None:
    ids = seed_clinic(db)
    claim, (first, second) = insert_claim(db, ids, "C1")
    other, (third, _) = insert_claim(db, ids, "C2")
    ops = [("charge", 0, 9000, 0), ("payment", 0, 4000, 0), ("charge", 1, 700, 0)]
    post_ops(db, (ids.clinic, ids.biller), [first, third], ops, "d", ON)
    with db.engine.begin() as conn:  # the first line's row gone, one made for the second
        conn.execute(
            text("UPDATE claim_line_balance SET claim_line_id = :to WHERE claim_line_id = :line"),
            {"to": second, "line": first},
        )
        conn.execute(
            text("UPDATE claim_line_balance SET patient_cents = 5 WHERE claim_line_id = :line"),
            {"line": third},
        )
    with db.unit_of_work(ids.clinic) as uow:
        assert summary_mismatches(uow.session, ids.clinic, claim) == [
            f"claim line {first}: kept balances (insurance, patient cents) None, "
            "the ledger's (5000, 0)",
            f"claim line {second}: kept balances (insurance, patient cents) (5000, 0), "
            "the ledger's None",
        ]
        assert summary_mismatches(uow.session, ids.clinic, [other]) == [
            f"claim line {third}: kept balances (insurance, patient cents) (700, 5), "
            "the ledger's (700, 0)"
        ]
        assert len(summary_mismatches(uow.session, ids.clinic)) == 3
