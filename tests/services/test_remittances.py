"""Posting an 835: payments, adjustments, PR, denials, reversals, work queue, idempotency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.services.exchange.files import open_work_items
from otbill.services.ledger import balances
from otbill.services.remittances.post import RemittanceRefused, post_remittance
from otbill.storage import Database
from otbill.storage.tables import AuditEventRow, ClaimRow, DenialRow, PostingRow
from otbill.x12.findings import X12Error
from support.clinickit import seed_clinic
from support.remitkit import make_835, submitted_claim

D = Decimal
TODAY = dt.date(2025, 3, 10)

PAID = """CLP*C1*1*150*96*24*MB*ICN001*11*1
NM1*QC*1*LEE*ANN****MI*1EG4TE5MK73
SVC*HC:97530:GO*90*56**2
DTM*472*20250214
CAS*CO*45*20
CAS*PR*2*14
SVC*HC:97530:GO*60*40**2
DTM*472*20250214
CAS*CO*45*10
CAS*PR*2*10"""

PARTIAL = """CLP*C2*1*150*56*14*MB*ICN002*11*1
SVC*HC:97530:GO*90*56**2
DTM*472*20250214
CAS*CO*45*20
CAS*PR*2*14
SVC*HC:97530:GO*60*0**2
DTM*472*20250214
CAS*CO*50*60
LQ*HE*N115"""

DENIED = """CLP*C3*4*150*0*0*MB*ICN003*11*1
CAS*CO*197*150
MOA***N130"""

UNMATCHED = """CLP*NOPE-9*1*100*80*0*MB*ICN009*11*1
CAS*CO*45*20"""


def _post(db: Database, ids, data: bytes):  # type: ignore[no-untyped-def]
    return post_remittance(db, ids.clinic, ids.biller, data, name="test.835", today=TODAY)


def _state(db: Database, ids) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic) as uow:
        return (
            uow.records.count(PostingRow),
            uow.records.count(DenialRow),
            uow.records.count(AuditEventRow),
            len(open_work_items(uow)),
        )


def test_paid_partial_denied_and_unmatched(db: Database) -> None:
    ids = seed_clinic(db)
    c1, _ = submitted_claim(db, ids, "C1")
    c2, (_, line2) = submitted_claim(db, ids, "C2")
    c3, _ = submitted_claim(db, ids, "C3")
    report = _post(db, ids, make_835("\n".join([PAID, PARTIAL, DENIED, UNMATCHED]), "232"))
    assert (report.claims, report.matched, report.paid, report.partially_paid) == (4, 3, 1, 1)
    assert (report.denied, report.unmatched, report.denials_opened) == (1, 1, 2)
    assert report.payments_total == D("152")  # the unmatched 80 waits in the queue
    with db.unit_of_work(ids.clinic) as uow:
        status = {c.number: c.status for c in uow.records.find(ClaimRow)}
        assert status == {"C1": "paid", "C2": "partially_paid", "C3": "denied",
                          "C1-S": "draft", "C2-S": "draft"}  # Acme's claims after the PR  # fmt: skip
        assert uow.records.get(ClaimRow, c1).payer_claim_number == "ICN001"
        b1 = balances(uow, claim_id=c1).by_claim[c1]
        assert (b1.payer_payments, b1.adjustments, b1.transferred) == (D(96), D(30), D(24))
        assert (b1.payer_balance, b1.patient_balance) == (D(0), D(24))
        b3 = balances(uow, claim_id=c3).by_claim[c3]
        assert (b3.adjustments, b3.balance) == (D(150), D(0))
        [d2] = uow.records.find(DenialRow, DenialRow.claim_id == c2)
        assert (d2.carc, d2.rarc, d2.amount_cents, d2.claim_line_id) == ("50", "N115", 6000, line2)
        assert d2.appeal_deadline == dt.date(2025, 3, 5) + dt.timedelta(days=120)
        [d3] = uow.records.find(DenialRow, DenialRow.claim_id == c3)
        assert (d3.group_code, d3.carc, d3.remarks, d3.amount_cents) == (
            "CO",
            "197",
            ["N130"],
            15000,
        )
        [item] = open_work_items(uow)
        assert item.reference == "NOPE-9" and "no claim" in item.reason


def test_posting_twice_changes_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    data = make_835(PAID + "\n" + UNMATCHED, "176")
    first = _post(db, ids, data)
    before = _state(db, ids)
    again = _post(db, ids, data)
    assert first.paid == 1 and again.already_posted and "already posted" in again.summary()
    assert _state(db, ids) == before
    # the same remittance in another envelope: every claim already posted
    other = _post(db, ids, data.replace(b"000000005", b"000000006"))
    assert other.already_posted_claims == 2 and other.postings == 0
    assert _state(db, ids)[:2] == before[:2]


def test_an_unbalanced_or_malformed_file_posts_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    submitted_claim(db, ids, "C1")
    before = _state(db, ids)
    with pytest.raises(RemittanceRefused, match=r"segment \d+ BPR BPR02"):
        _post(db, ids, make_835(PAID, "999"))
    with pytest.raises(RemittanceRefused, match=r"segment \d+ SVC: line 97530 does not balance"):
        _post(db, ids, make_835(PAID.replace("CAS*CO*45*10", "CAS*CO*45*11"), "96"))
    with pytest.raises(X12Error, match=r"segment \d+ CAS CAS03"):
        _post(db, ids, make_835(PAID.replace("CAS*CO*45*10", "CAS*CO*45*1O"), "96"))
    assert _state(db, ids) == before


def test_reversal_undoes_earlier_postings_and_correction_posts(db: Database) -> None:
    ids = seed_clinic(db)
    c1, _ = submitted_claim(db, ids, "C1")
    _post(db, ids, make_835(PAID, "96"))
    reversal = PAID.replace("CLP*C1*1*150*96*24", "CLP*C1*22*-150*-96*-24")
    reversal = "\n".join(
        s.replace("*90*56", "*-90*-56").replace("*60*40", "*-60*-40").replace("*20", "*-20")
        .replace("*14", "*-14").replace("*10", "*-10")
        if s.startswith(("SVC", "CAS")) else s
        for s in reversal.split("\n")
    )  # fmt: skip
    corrected = PAID.replace("*96*24*", "*100*20*").replace("*56**2", "*60**2")
    corrected = corrected.replace("CAS*PR*2*14", "CAS*PR*2*10")
    report = _post(db, ids, make_835(reversal + "\n" + corrected, "4", trace="EFT2"))
    assert report.reversed == 1 and report.matched == 1
    with db.unit_of_work(ids.clinic) as uow:
        b = balances(uow, claim_id=c1).by_claim[c1]
        assert (b.payer_payments, b.transferred, b.adjustments) == (D(100), D(20), D(30))
        assert uow.records.get(ClaimRow, c1).status == "paid"


def test_claims_not_awaiting_payment_go_to_the_work_queue(db: Database) -> None:
    ids = seed_clinic(db)
    from support.clinickit import insert_claim

    insert_claim(db, ids, "C1", status="approved")
    report = _post(db, ids, make_835(PAID, "96"))
    assert report.unmatched == 1 and report.postings == 0
    with db.unit_of_work(ids.clinic) as uow:
        [item] = open_work_items(uow)
        assert "approved" in item.reason and item.paid == "96.00"
