"""Superbill and Good Faith Estimate facts: visits in a range with their claims and payments,
unbilled services at the charge master's price, and the estimate from the plan's frequency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.ledger import Kind
from otbill.domain.record_errors import RecordError
from otbill.services import ledger
from otbill.services.frontdesk import patient_documents as docs
from otbill.services.visits.record import Service
from otbill.storage import Database
from support.claimflow import build_all, claim_with_lines, record_visit
from support.clinickit import Ids, seed_clinic


def _billed_and_paid(db: Database, ids: Ids) -> int:
    """A visit on 2025-02-10 (97530, 38 minutes) billed on
    a claim, with $50.00 from the payer and $20.00 from the patient on its first line."""
    record_visit(db, ids, dt.date(2025, 2, 10), [Service("97530", 38)])
    (claim_id,) = build_all(db, ids)
    _, lines = claim_with_lines(db, ids, claim_id)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        first = lines[0].id
        if not uow.ledger.postings(claim_id=claim_id):
            for line in lines:
                ledger.post(uow, ledger.LedgerEntry(f"t:charge:{line.id}", Kind.CHARGE, line.id,
                            Decimal(line.charge_cents) / 100), dt.date(2025, 2, 11))  # fmt: skip
        ledger.post(uow, ledger.LedgerEntry("t:payer", Kind.PAYMENT, first, Decimal("50.00")),
                    dt.date(2025, 3, 1))  # fmt: skip
        ledger.post(uow, ledger.LedgerEntry("t:patient", Kind.PAYMENT, first, Decimal("20.00"),
                    payer_side=False), dt.date(2025, 3, 2))  # fmt: skip
    return claim_id


def test_superbill_totals_claimed_and_unbilled_services(db: Database) -> None:
    ids = seed_clinic(db)
    claim_id = _billed_and_paid(db, ids)
    # an assistant's visit not billed yet: priced at the charge master's 97110 ($55.00 a unit)
    record_visit(db, ids, dt.date(2025, 2, 12), [Service("97110", 25)], provider=ids.cota)
    record_visit(db, ids, dt.date(2025, 3, 5), [Service("97110", 25)])  # outside the range
    _, claim_lines = claim_with_lines(db, ids, claim_id)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        bill = docs.superbill(uow, ids.patient, dt.date(2025, 2, 1), dt.date(2025, 2, 28))
        otr = uow.providers.get(ids.otr)
        clinic = uow.clinics.identity()
    assert [line.date for line in bill.lines] == [dt.date(2025, 2, 10)] * len(claim_lines) + [
        dt.date(2025, 2, 12)
    ]
    billed = bill.lines[0]
    assert billed.code == "97530" and billed.paid == Decimal("70.00")
    assert billed.modifiers == tuple(m for m in claim_lines[0].modifiers.split(",") if m)
    assert billed.units == claim_lines[0].units
    assert billed.charge == Decimal(claim_lines[0].charge_cents) / 100
    unbilled = bill.lines[-1]
    assert (unbilled.code, unbilled.units, unbilled.charge) == ("97110", 2, Decimal("110.00"))
    assert unbilled.paid == Decimal("0.00")
    assert unbilled.provider_npi == otr.npi  # the assistant's supervisor renders
    claimed = sum(Decimal(c.charge_cents) / 100 for c in claim_lines)
    assert bill.total_charges == claimed + Decimal("110.00")
    assert bill.total_paid == Decimal("70.00")
    assert bill.balance == bill.total_charges - Decimal("70.00")
    assert bill.diagnoses == (("M62.81", "Muscle weakness (generalized)"),)
    assert unbilled.diagnoses == ("M62.81",)
    assert (bill.clinic_npi, bill.tax_id) == (clinic.npi, "741234567")
    assert bill.providers == (("Rita Cole, OTR/L", otr.npi),)


def test_superbill_refuses_a_backwards_or_too_long_range(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        with pytest.raises(RecordError, match="before from"):
            docs.superbill(uow, ids.patient, dt.date(2025, 3, 1), dt.date(2025, 2, 1))
        with pytest.raises(RecordError, match="at most 366 days"):
            docs.superbill(uow, ids.patient, dt.date(2024, 1, 1), dt.date(2025, 2, 1))
        empty = docs.superbill(uow, ids.patient, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert empty.lines == () and empty.total_charges == Decimal("0.00")


def test_estimate_from_the_plans_frequency_and_the_price_list(db: Database) -> None:
    ids = seed_clinic(db)  # the plan: 2 visits a week for 8 weeks
    record_visit(db, ids, dt.date(2025, 2, 3), [Service("97165", 45)], note_type="evaluation")
    record_visit(db, ids, dt.date(2025, 2, 10), [Service("97530", 30), Service("97110", 15)])
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert docs.offers_good_faith_estimate(uow, ids.patient)
        gfe = docs.good_faith_estimate(uow, ids.patient, dt.date(2025, 2, 14))
    assert gfe.visits == 16
    assert [(x.code, x.units_per_visit, x.price) for x in gfe.lines] == [
        ("97530", 2, Decimal("60.00")),
        ("97110", 1, Decimal("55.00")),
    ]
    assert gfe.total == Decimal("60.00") * 2 * 16 + Decimal("55.00") * 16
    assert "2 visits a week for 8 weeks" in gfe.basis
    assert gfe.diagnoses == (("M62.81", "Muscle weakness (generalized)"),)
    assert gfe.tax_id == "741234567" and gfe.state == "TX"
    assert "16 treatment visits" in gfe.primary_service


def test_estimate_with_services_and_visits_given_and_its_refusals(db: Database) -> None:
    ids = seed_clinic(db)
    given = docs.parse_services("97535x3, 97150")
    assert given == (("97535", 3), ("97150", 1))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        gfe = docs.good_faith_estimate(uow, ids.patient, dt.date(2025, 2, 14), services=given,
                                       visits=4)  # fmt: skip
        assert gfe.total == (Decimal("60.00") * 3 + Decimal("30.00")) * 4
        with pytest.raises(RecordError, match="none recorded"):
            docs.good_faith_estimate(uow, ids.patient, dt.date(2025, 2, 14))
        with pytest.raises(RecordError, match="97112: no price"):
            docs.good_faith_estimate(uow, ids.patient, dt.date(2025, 2, 14),
                                     services=docs.parse_services("97112"))  # fmt: skip
        with pytest.raises(RecordError, match="visits 0"):
            docs.good_faith_estimate(uow, ids.patient, dt.date(2025, 2, 14), services=given,
                                     visits=0)  # fmt: skip
    for typo in ("97530x", "ABC", "97530x40"):
        with pytest.raises(RecordError, match="services per visit"):
            docs.parse_services(typo)
