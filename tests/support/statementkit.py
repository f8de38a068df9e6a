"""A patient owing their share after the payer's 835, for the statement tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post
from otbill.storage import Database
from support.clinickit import Ids, insert_claim

ADJUDICATED = dt.date(2025, 3, 1)


def owing(db: Database, ids: Ids, number: str = "C1", share: str = "40.00") -> int:
    """Claim ``number``: $90 charged, $40 paid, $10 written off (CO-45), ``share`` to the
    patient's deductible (PR-1), all on 2025-03-01; returns the line's id."""
    _, (line, _) = insert_claim(db, ids, number)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for key, kind, amount, group, carc in (
            ("charge", Kind.CHARGE, "90.00", None, None),
            ("pay", Kind.PAYMENT, "40.00", None, None),
            ("co", Kind.ADJUSTMENT, "10.00", "CO", "45"),
            ("pr", Kind.TRANSFER, share, "PR", "1"),
        ):
            post(uow, LedgerEntry(f"{number}:{key}", kind, line, Decimal(amount),
                                  group_code=group, carc=carc), ADJUDICATED)  # fmt: skip
    return line
