"""What an 835's batch reads of its claims' ledgers (``uow.remittance_batch.postings``): the
postings an 835 made and every reversal, not the charges; a reversal a biller made by hand still
counts, so a payer's later reversal undoes only what is left."""

from __future__ import annotations

import datetime as dt

from otbill.domain.ledger import Kind
from otbill.services.ledger import reverse
from otbill.services.remittances.post import post_remittance
from otbill.storage import Database
from support.clinickit import seed_clinic
from support.remitkit import make_835, paid_claim, submitted_claim

DAY = dt.date(2025, 3, 5)


def test_an_835s_postings_and_reversals_are_read_not_charges(db: Database) -> None:
    ids = seed_clinic(db)
    claim, _ = submitted_claim(db, ids, "T1")
    post_remittance(db, ids.clinic, ids.biller, make_835(paid_claim("T1"), "96"), today=DAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        made = uow.ledger.postings(claim_id=claim)
        payment = next(p for p in made if p.kind is Kind.PAYMENT)
        reverse(uow, payment.id, f"manual:{payment.id}", DAY)  # a biller's own correction
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        read = uow.remittance_batch.postings([claim])[claim]
        everything = uow.ledger.postings(claim_id=claim)
    assert {p.kind for p in everything} >= {Kind.CHARGE, Kind.PAYMENT, Kind.REVERSAL}
    assert [p.id for p in read] == [
        p.id for p in everything if p.source_key.startswith("835:") or p.reverses is not None
    ]
    assert all(p.kind is not Kind.CHARGE for p in read)
    assert any(p.source_key == f"manual:{payment.id}" for p in read)  # the hand-made reversal


def test_a_payers_reversal_after_a_hand_made_one_undoes_what_is_left(db: Database) -> None:
    ids = seed_clinic(db)
    claim, _ = submitted_claim(db, ids, "T1")
    post_remittance(db, ids.clinic, ids.biller, make_835(paid_claim("T1"), "96"), today=DAY)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        payment = next(p for p in uow.ledger.postings(claim_id=claim) if p.kind is Kind.PAYMENT)
        reverse(uow, payment.id, f"manual:{payment.id}", DAY)
    reversal = "\n".join(
        s.replace("*90*56", "*-90*-56").replace("*60*40", "*-60*-40").replace("*20", "*-20")
        .replace("*14", "*-14").replace("*10", "*-10")
        if s.startswith(("SVC", "CAS")) else s
        for s in paid_claim("T1").replace("CLP*T1*1*150*96*24", "CLP*T1*22*-150*-96*-24")
        .split("\n")
    )  # fmt: skip
    report = post_remittance(
        db, ids.clinic, ids.biller, make_835(reversal, "-96", trace="EFT2"), today=DAY
    )
    assert report.reversed == 1
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        postings = uow.ledger.postings(claim_id=claim)
    undone = [p.reverses for p in postings if p.reverses is not None]
    assert len(undone) == len(set(undone))  # nothing reversed twice
    first = [p for p in postings if p.source_key.startswith("835:") and ":EFT123:" in p.source_key
             and p.kind is not Kind.REVERSAL]  # fmt: skip
    assert first and sorted(p.id for p in first) == sorted(undone)  # each undone once
