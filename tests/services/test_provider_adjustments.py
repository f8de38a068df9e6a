"""Provider-level adjustments (PLB): queued with their amounts, posted to the ledger when the
biller resolves them, so the remittance adds up to the deposit (claim payments + PLB = BPR02)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.record_errors import NotFound, RecordError
from otbill.services.exchange.files import open_work_items
from otbill.services.remittances.post import post_remittance
from otbill.services.remittances.provider_adjustments import post_provider_adjustment
from otbill.services.views.remittance_deposit import deposit_check
from otbill.storage import Database
from otbill.storage.tables import AuditEventRow, ProviderPostingRow, RemittanceRow
from support.clinickit import seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim

D = Decimal
TODAY = dt.date(2025, 3, 10)

PAID = (
    paid_claim("C1", "ICN001") + "\nPLB*1512345678*20251231*L6:INT77*-3.50*WO:ICN0042*20"
)  # interest adds 3.50; a recovery takes 20


def test_plb_amounts_are_queued_then_posted_so_the_deposit_reconciles(db: Database) -> None:
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    report = post_remittance(db, ids.clinic, ids.biller, make_835(PAID, "79.50"), today=TODAY)
    assert report.work_items == 2
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        items = [w for w in open_work_items(uow) if w.kind == "PLB"]
        assert [(w.reference, w.paid) for w in items] == [
            ("PLB L6 INT77", "3.50"),
            ("PLB WO ICN0042", "-20.00"),
        ]
        assert "L6 (interest owed), reference INT77: adds 3.50 to the payment" in items[0].reason
        assert "WO (overpayment recovery)" in items[1].reason and "takes 20.00" in items[1].reason
        (remittance,) = uow.records.find(RemittanceRow)
        before = deposit_check(uow, remittance.id)
    assert (before.deposit, before.claim_payments, before.plb_total) == (
        D("79.50"),
        96,
        D("-16.50"),
    )
    assert (before.claims_posted, before.plb_posted, before.reconciled) == (96, 0, False)
    for item in items:
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            post_provider_adjustment(uow, item.id, TODAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        after = deposit_check(uow, remittance.id)
        postings = uow.records.find(ProviderPostingRow)
        actions = [e.action for e in uow.records.find(AuditEventRow)]
        assert not [w for w in open_work_items(uow) if w.kind == "PLB"]
    assert sorted(p.amount_cents for p in postings) == [-2000, 350]
    assert all(p.remittance_id == remittance.id and p.posted_by == ids.biller for p in postings)
    assert actions.count("posting.provider") == 2 and actions.count("edi.work_item.resolve") == 2
    assert (after.ledger_total, after.plb_waiting, after.reconciled) == (D("79.50"), 0, True)


def test_a_plb_posts_once_and_only_a_plb_item_posts(db: Database) -> None:
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    body = PAID + "\nCLP*NOPE-9*1*100*0*0*MB*ICN9*11*1\nCAS*CO*45*100"
    post_remittance(db, ids.clinic, ids.biller, make_835(body, "79.50"), today=TODAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        items = {w.kind: w.id for w in open_work_items(uow)}
        post_provider_adjustment(uow, items["PLB"], TODAY)
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="resolved already"),
    ):
        post_provider_adjustment(uow, items["PLB"], TODAY)
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="not a provider-level"),
    ):
        post_provider_adjustment(uow, items["835"], TODAY)
    other = seed_clinic(db, code="OTH", n=1)
    with db.unit_of_work(other.clinic, other.biller) as uow, pytest.raises(NotFound):
        post_provider_adjustment(uow, items["PLB"], TODAY)  # another clinic's item
    with db.unit_of_work(ids.clinic) as uow:
        assert uow.records.count(ProviderPostingRow) == 1
