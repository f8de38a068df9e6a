"""Expected vs paid on posted 835s: a Medicare claim's lines priced together from the 2025 PFS
(MPPR, sequestration), the underpayment queue with its evidence, and the variance by payer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from otbill.services.money.expected import (
    load_checks,
    underpayment_queue,
    variance_by_payer,
)
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.pricingkit import post_underpaid
from support.remitkit import submitted_claim

FIRST, END = dt.date(2025, 1, 1), dt.date(2025, 4, 1)


def test_underpaid_medicare_lines_with_pfs_evidence(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    post_underpaid(db, ids)
    with db.unit_of_work(ids.clinic) as uow:
        checks = load_checks(uow, [tmp_path], FIRST, END)
    assert len(checks) == 2
    first, second = checks
    # 2025 national: 97530 full unit 34.61, reduced (50% PE) 24.58; the day's first unit in full
    assert first.expected_allowed == Decimal("59.19")
    assert second.expected_allowed == Decimal("49.16")
    # less the patient's 10.00, less 2% sequestration
    assert first.expected_paid == Decimal("48.21")
    assert second.expected_paid == Decimal("38.38")
    assert "CF 32.3465" in first.basis and "MPPR" in first.basis
    assert first.payer_allowed == Decimal("40.00")
    assert ("CO", "45", Decimal("50.00")) in first.adjustments
    queue = underpayment_queue(checks)
    assert [(g.payer_name, g.code, len(g.lines)) for g in queue] == [
        ("Medicare Part B", "97530", 2)
    ]
    assert queue[0].shortfall == Decimal("36.59")
    assert underpayment_queue(checks, tolerance=Decimal("20")) == []
    (medicare,) = variance_by_payer(checks)
    assert (medicare.lines, medicare.priced, medicare.underpaid_lines) == (2, 2, 2)
    assert medicare.variance == Decimal("-36.59")
    assert medicare.percent == Decimal("-42.3")


def test_no_remittance_no_lines(db: Database, tmp_path: Path) -> None:
    ids = seed_clinic(db)
    submitted_claim(db, ids, "U2")
    with db.unit_of_work(ids.clinic) as uow:
        assert load_checks(uow, [tmp_path], FIRST, END) == []


def test_a_reversed_payment_no_longer_counts(db: Database, tmp_path: Path) -> None:
    from otbill.domain.ledger import Kind
    from otbill.services.ledger import reverse

    ids = seed_clinic(db)
    post_underpaid(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        first = load_checks(uow, [tmp_path], FIRST, END)[0]
        payment = next(
            p
            for p in uow.ledger.postings(claim_id=first.claim_id)
            if p.kind == Kind.PAYMENT and p.line_id == first.line_id
        )
        reverse(uow, payment.id, "test:reverse", dt.date(2025, 3, 20))
    with db.unit_of_work(ids.clinic) as uow:
        check = load_checks(uow, [tmp_path], FIRST, END)[0]
    assert check.paid == Decimal("0.00") and check.shortfall == Decimal("48.21")
