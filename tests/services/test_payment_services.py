"""Patient payments through the services: applied oldest first or as picked, overpayment as
credit, refunds of credit only, a copay held for its visit, write-offs by a second person, the
receipt, and a day's deposit that balances with the ledger and the accounts (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest

from otbill.domain.ledger import Kind
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services.ledger import LedgerEntry, balances, post
from otbill.services.patient_account import account_of, post_opening_balance
from otbill.services.payments.credits import credit_queue
from otbill.services.payments.deposit import deposit_report
from otbill.services.payments.receipts import receipt_of, receipt_pdf
from otbill.services.payments.standing import standing
from otbill.services.payments.take import apply_credit, payments_of, refund, take_payment
from otbill.services.payments.write_offs import ask_write_off, decide_write_off
from otbill.services.visits.record import record_visit
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ServiceLineRow
from support.claimflow import PROFILES
from support.clinickit import Ids, insert_claim, seed_clinic
from support.pdftext import pdf_text

D = Decimal
DAY = dt.date(2025, 4, 1)


def _owes(db: Database, ids: Ids, number: str, *shares: str) -> list[int]:
    """A claim whose lines each left ``share`` to the patient (charge, payer paid the rest)."""
    _, lines = insert_claim(db, ids, number, tuple(9000 for _ in shares))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        for line, share in zip(lines, shares, strict=True):
            post(uow, LedgerEntry(f"c{line}", Kind.CHARGE, line, D("90.00")), DAY)
            post(uow, LedgerEntry(f"p{line}", Kind.PAYMENT, line, D("90.00") - D(share)), DAY)
            post(uow, LedgerEntry(f"t{line}", Kind.TRANSFER, line, D(share), group_code="PR",
                                  carc="2"), DAY)  # fmt: skip
    return lines


def _opening(db: Database, ids: Ids, amount: str) -> int:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        made, _ = post_opening_balance(uow, patient_id=ids.patient, amount=D(amount),
                                       on=dt.date(2024, 12, 31), source="balances.csv row 2",
                                       source_key=f"open:{amount}")  # fmt: skip
    return made


def test_a_card_payment_pays_oldest_first_and_the_account_balances_to_zero(db: Database) -> None:
    ids = seed_clinic(db)
    entry = _opening(db, ids, "15.00")
    lines = _owes(db, ids, "C1", "20.00", "12.50")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert standing(uow, ids.patient).owed_total == D("47.50")
        taken = take_payment(uow, patient_id=ids.patient, amount="47.50", method="card",
                             reference="AUTH-7731", last4="4242", received_on=DAY)  # fmt: skip
    assert [(p.key, p.amount) for p in taken.pieces] == [
        (f"entry:{entry}", D("15.00")), (f"line:{lines[0]}", D("20.00")),
        (f"line:{lines[1]}", D("12.50"))]  # fmt: skip
    assert taken.credit == 0 and taken.after.total == 0 and taken.after.owed == ()
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        b = balances(uow, patient_id=ids.patient).by_patient[ids.patient]
        assert b.patient_balance == 0 and b.balance == 0 and b.patient_payments == D("32.50")
        assert account_of(uow, ids.patient).total == 0
        (payment,) = payments_of(uow, ids.patient)
        assert (payment.method.value, payment.card_last4, payment.reference) == (
            "card", "4242", "AUTH-7731")  # fmt: skip
        assert payments_of(uow, ids.patient, since=DAY + dt.timedelta(days=1)) == []
        assert uow.audit_reads.has_action("patient_payment.take", "patient_payment")


def test_a_whole_card_number_is_refused_and_nothing_is_written(db: Database) -> None:
    ids = seed_clinic(db)
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="looks like a whole card number"),
    ):
        take_payment(uow, patient_id=ids.patient, amount="10", method="card",
                     reference="4242 4242 4242 4242", last4="4242", received_on=DAY)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert payments_of(uow, ids.patient) == []


def test_by_choice_then_overpayment_becomes_credit_refunded_once(db: Database) -> None:
    ids = seed_clinic(db)
    old, new = _owes(db, ids, "C1", "20.00", "30.00")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        taken = take_payment(uow, patient_id=ids.patient, amount="40", method="check",
                             reference="1043", received_on=DAY,
                             apply_to=[f"line:{new}"])  # fmt: skip
        assert [(p.key, p.amount) for p in taken.pieces] == [(f"line:{new}", D("30.00"))]
        assert taken.credit == D("10.00")
        after = standing(uow, ids.patient)
        assert after.credit == D("10.00") and after.total == D("10.00")  # owes 20, credit 10
        applied = apply_credit(uow, ids.patient, on=DAY)
        assert [(p.key, p.amount) for p in applied] == [(f"line:{old}", D("10.00"))]
        assert standing(uow, ids.patient).total == D("10.00")
        assert standing(uow, ids.patient).credit == 0
        taken = take_payment(uow, patient_id=ids.patient, amount="25", method="cash",
                             received_on=DAY)  # fmt: skip
        assert taken.credit == D("15.00") and taken.after.total == D("-15.00")
        assert [r.credit for r in credit_queue(uow)] == [D("15.00")]
        with pytest.raises(RecordError, match="has \\$15.00 of credit"):
            refund(uow, patient_id=ids.patient, amount="20", method="check", reference="88",
                   reason="overpaid", on=DAY)  # fmt: skip
        refund(uow, patient_id=ids.patient, amount="15", method="check", reference="88",
               reason="overpaid at the desk", on=DAY)  # fmt: skip
        assert standing(uow, ids.patient).total == 0 and credit_queue(uow) == []


def test_a_copay_waits_for_its_visit_then_pays_its_line(db: Database) -> None:
    ids = seed_clinic(db)
    old = _owes(db, ids, "C0", "5.00")[0]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        visit = record_visit(uow, patient_id=ids.patient, coverage_id=ids.coverage,
                             provider_id=ids.otr, date=DAY, services=(), note_type="daily",
                             place_of_service="11", profiles=PROFILES)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        taken = take_payment(uow, patient_id=ids.patient, amount="25", method="card",
                             reference="A9", last4="1111", received_on=DAY,
                             visit_id=visit)  # fmt: skip
        assert taken.pieces == () and taken.credit == D("25.00")
        assert apply_credit(uow, ids.patient, on=DAY) == []  # held for its visit, not C0
        assert standing(uow, ids.patient).owed[0].key == f"line:{old}"
    # the visit is billed and its 835 leaves the copay to the patient
    new = _owes(db, ids, "C1", "25.00")[0]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        service = uow.records.add(ServiceLineRow(visit_id=visit, position=1, code="97530",
                                                 minutes=30, units=2))  # fmt: skip
        uow.flush()
        uow.records.get(ClaimLineRow, new).service_line_id = service.id
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        applied = apply_credit(uow, ids.patient, on=DAY)
        assert [(p.key, p.amount) for p in applied] == [(f"line:{new}", D("25.00"))]
        assert standing(uow, ids.patient).total == D("5.00")


def test_a_write_off_needs_a_second_person(db: Database) -> None:
    ids = seed_clinic(db)
    _owes(db, ids, "C1", "4.00")
    with db.unit_of_work(ids.clinic, ids.approver2) as uow:
        asked = ask_write_off(uow, patient_id=ids.patient, kind="small-balance", amount="4",
                              reason="too small to bill")  # fmt: skip
        with pytest.raises(PermissionDenied, match="you \\(Approver2\\) asked for it"):
            decide_write_off(uow, asked, approve=True)
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(PermissionDenied):
        decide_write_off(uow, asked, approve=True)
    with db.unit_of_work(ids.clinic, ids.approver) as uow:
        done = decide_write_off(uow, asked, approve=True, note="ok", on=DAY)
        assert done.status == "approved" and done.decided_by == ids.approver
        assert standing(uow, ids.patient).total == 0 and standing(uow, ids.patient).owed == ()
        with pytest.raises(RecordError, match="already approved"):
            decide_write_off(uow, asked, approve=False)
    _owes(db, ids, "C2", "40.00")
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="small-balance limit"),
    ):
        ask_write_off(uow, patient_id=ids.patient, kind="small-balance", amount="4",
                      reason="x")  # fmt: skip


def test_the_receipt_says_what_was_paid_how_and_on_what(db: Database) -> None:
    ids = seed_clinic(db)
    _owes(db, ids, "C1", "20.00")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        taken = take_payment(uow, patient_id=ids.patient, amount="30", method="card",
                             reference="AUTH-1", last4="4242", received_on=DAY)  # fmt: skip
        receipt = receipt_of(uow, taken.payment_id)
        text = pdf_text(receipt_pdf(uow, taken.payment_id))
    assert receipt.credit == D("10.00") and receipt.balance == D("-10.00")
    for words in ("Payment receipt", "Hands On OT HOT", "card ending 4242, reference AUTH-1",
                  "Claim C1 line 1: 97530 on 2025-02-14", "$20.00", "Left as credit",
                  "$10.00 credit on your account", "Biller"):  # fmt: skip
        assert words in text


def test_the_days_deposit_balances_with_the_ledger_and_the_accounts(db: Database) -> None:
    ids = seed_clinic(db)
    _opening(db, ids, "15.00")
    _owes(db, ids, "C1", "20.00", "30.00")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        take_payment(uow, patient_id=ids.patient, amount="10", method="cash", received_on=DAY)
        take_payment(uow, patient_id=ids.patient, amount="45", method="check", reference="1043",
                     received_on=DAY)  # fmt: skip
        take_payment(uow, patient_id=ids.patient, amount="20", method="card", reference="Z1",
                     last4="0005", received_on=DAY)  # fmt: skip
        take_payment(uow, patient_id=ids.patient, amount="7", method="cash",
                     received_on=DAY + dt.timedelta(days=1))  # fmt: skip
        refund(uow, patient_id=ids.patient, amount="5", method="cash", reason="overpaid",
               on=DAY)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        report = deposit_report(uow, DAY)
    deposit = report.deposit
    assert report.balances, report.problems
    assert deposit.by_method == {"cash": D("10.00"), "check": D("45.00"), "card": D("20.00")}
    assert deposit.bank_slip == D("55.00") and deposit.refunds_total == D("5.00")
    assert deposit.by_person == {"Biller": D("75.00")}
    assert sum(x.amount for x in deposit.lines if x.kind == "payment") == report.books_payments
    assert report.books_payments == D("75.00") and report.books_refunds == D("5.00")


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgres"], indirect=True)
def test_two_payments_at_once_are_applied_one_after_the_other(db: Database) -> None:
    ids = seed_clinic(db)
    _owes(db, ids, "C1", "30.00")
    barrier = threading.Barrier(2)
    taken: list[Decimal] = []

    def pay() -> None:
        barrier.wait()
        with db.unit_of_work(ids.clinic, ids.biller) as uow:
            done = take_payment(uow, patient_id=ids.patient, amount="30", method="cash",
                                received_on=DAY)  # fmt: skip
            taken.append(done.credit)

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == [D("0.00"), D("30.00")]  # the second found the line paid
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert balances(uow, patient_id=ids.patient).by_patient[ids.patient].patient_balance == 0
        assert standing(uow, ids.patient).credit == D("30.00")
