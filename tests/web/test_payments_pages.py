"""Payments' pages: the patient page's 'Take a payment', a card payment by reference (a card
number refused in words), its receipt (page and PDF), the credit queue, a refund, a write-off
asked by one person and approved by another, the copay form from the check-in screen, and the
day's deposit that balances."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, balances, post
from otbill.services.patient_account import post_opening_balance
from otbill.services.payments.deposit import deposit_report
from otbill.services.payments.standing import standing
from otbill.storage.tables import UserRow, VisitRow
from support.pdftext import pdf_text
from support.webkit import log_in, patient_of, provider_of, token


def _owed(app, patient: int) -> Decimal:
    with app.state.db.unit_of_work(1) as uow:
        return standing(uow, patient).total


def test_take_a_card_payment_refund_the_credit_and_the_deposit_balances(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        post_opening_balance(uow, patient_id=patient, amount=Decimal("40.00"),
                             on=dt.date(2024, 12, 31), source="opening balance: row 3",
                             source_key="test:opening:1")  # fmt: skip
    owed = _owed(app, patient)
    log_in(client, "biller")
    assert f'href="/patients/{patient}/payments">Take a payment' in client.get(
        f"/patients/{patient}").text  # fmt: skip
    page = client.get(f"/patients/{patient}/payments").text
    assert "opening balance of 31 Dec 2024 (opening balance: row 3)" in page
    csrf = token(client, f"/patients/{patient}/payments")
    form = {"csrf_token": csrf, "amount": f"{owed + 10}", "method": "card",
            "reference": "4111 1111 1111 1111", "last4": "1111"}  # fmt: skip
    refused = client.post(f"/patients/{patient}/payments", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert "looks like a whole card number; otbill never keeps card numbers" in refused.text
    form["reference"] = "AUTH-204"
    taken = client.post(f"/patients/{patient}/payments", data=form, follow_redirects=False)
    assert taken.status_code == 303, taken.text
    receipt_url = taken.headers["location"].split("?")[0]
    receipt = client.get(taken.headers["location"]).text
    assert "Payment taken." in receipt and "card ending 1111, reference AUTH-204" in receipt
    assert "Left as credit on the account" in receipt and "$10.00 credit on the account" in receipt
    pdf = client.get(f"{receipt_url}/receipt.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Opening balance of 2024-12-31" in pdf_text(pdf.content)
    credits = client.get("/payments/credits").text
    assert re.search(r"credit-row.*\$10\.00", credits, re.S)
    refund = {"csrf_token": csrf, "refund_amount": "10.00", "refund_method": "check",
              "refund_reference": "5001", "reason": "paid twice"}  # fmt: skip
    given = client.post(f"/patients/{patient}/refunds", data=refund, follow_redirects=False)
    assert given.status_code == 303, given.text
    assert "No patient has a credit balance" in client.get("/payments/credits").text
    deposit = client.get("/payments").text
    assert "Balances: the lines, the totals" in deposit
    assert f"{owed + 10:,.2f}" in deposit.split('id="by-card"')[1][:40]
    assert "$10.00" in deposit.split('id="refunds"')[1][:30]
    pdf = client.get("/payments/deposit.pdf")
    assert "Balances with the books" in pdf_text(pdf.content)


def test_a_write_off_is_asked_by_one_and_approved_by_another(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        post_opening_balance(uow, patient_id=patient, amount=Decimal("300.00"),
                             on=dt.date(2024, 12, 31), source="opening balance: row 9",
                             source_key="test:opening:9")  # fmt: skip
    owed = _owed(app, patient)
    log_in(client, "biller")
    csrf = token(client, f"/patients/{patient}/payments")
    ask = {"csrf_token": csrf, "kind": "small-balance", "write_off_amount": "5",
           "write_off_reason": "tiny"}  # fmt: skip
    refused = client.post(f"/patients/{patient}/write-offs", data=ask)
    assert refused.status_code == 422 and "small-balance limit of $10.00" in refused.text
    ask.update(kind="hardship", write_off_amount="300.00", write_off_reason="lost her job")
    asked = client.post(f"/patients/{patient}/write-offs", data=ask, follow_redirects=False)
    assert asked.status_code == 303, asked.text
    queue = client.get("/payments/write-offs").text
    assert "lost her job" in queue and "Approve" not in queue  # a biller only reads it
    match = re.search(r"/write-offs/(\d+)/decide", client.get("/payments/write-offs").text)
    assert match is None
    assert client.post("/write-offs/1/decide", data={"csrf_token": csrf, "decision": "approve"}
                       ).status_code == 403  # fmt: skip
    client.post("/logout", data={"csrf_token": csrf})
    client.cookies.clear()
    log_in(client, "approver")
    csrf = token(client, "/payments/write-offs")
    page = client.get("/payments/write-offs").text
    (write_off,) = re.findall(r"/write-offs/(\d+)/decide", page)
    done = client.post(f"/write-offs/{write_off}/decide",
                       data={"csrf_token": csrf, "decision": "approve", "note": "ok"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and "approved" in done.headers["location"]
    assert _owed(app, patient) == owed - Decimal("300.00")


def test_collect_copay_from_the_check_in_screen(app, client):
    patient = patient_of(app, profile="commercial-in-network")
    with app.state.db.unit_of_work(1) as uow:
        visit = uow.records.first(VisitRow, VisitRow.patient_id == patient).id
    log_in(client, "biller")
    page = client.get(f"/patients/{patient}/payments?visit={visit}").text
    assert "Collect copay" in page and f'name="visit" value="{visit}"' in page
    csrf = token(client, f"/patients/{patient}/payments")
    taken = client.post(f"/patients/{patient}/payments",
                        data={"csrf_token": csrf, "amount": "25", "method": "cash",
                              "visit": str(visit)}, follow_redirects=False)  # fmt: skip
    assert taken.status_code == 303, taken.text
    assert "Left as credit on the account" in client.get(taken.headers["location"]).text
    assert client.get(f"/patients/{patient}/payments?visit=999999").status_code == 404


def test_at_the_next_check_in_the_patient_pays_by_card_and_owes_nothing(app, client):
    """Done when: the patient pays by card reference at the next check-in; the ledger's patient
    share is 0 and the copay waits, as credit, for the new visit."""
    patient = patient_of(app)
    with app.state.db.unit_of_work(1) as uow:
        biller = uow.records.first(UserRow, UserRow.username == "biller").id
    with app.state.db.unit_of_work(1, biller) as uow:
        line = uow.payments.patient_lines(patient)[0]
        post(uow, LedgerEntry("test:pr:1", Kind.TRANSFER, line.line_id, Decimal("35.00"),
                              group_code="PR", carc="2"), dt.date(2025, 3, 20))  # fmt: skip
    owed = _owed(app, patient)
    assert owed >= Decimal("35.00")
    log_in(client, "biller")
    booked = client.post("/schedule/book", follow_redirects=False, data={
        "csrf_token": token(client, "/schedule/book"), "patient": str(patient),
        "provider": str(provider_of(app, "rcole").id), "date": "2025-04-01", "start": "15:00",
        "minutes": "45", "visit_type": "daily"})  # fmt: skip
    appointment = re.search(r"/schedule/appointments/(\d+)", booked.headers["location"])
    assert appointment, booked.text
    checked = client.post(f"/schedule/appointments/{appointment.group(1)}/check-in",
                          data={"csrf_token": token(client)}, follow_redirects=False)  # fmt: skip
    page = client.get(checked.headers["location"]).text
    link = re.search(r'href="(/patients/\d+/payments\?visit=\d+)">Collect copay', page)
    assert link, page
    form = client.get(link.group(1)).text
    keys = re.findall(r'name="apply" value="([^"]+)"', form)
    visit = re.search(r'name="visit" value="(\d+)"', form)
    assert keys and visit
    paid = client.post(f"/patients/{patient}/payments", follow_redirects=False, data={
        "csrf_token": token(client), "amount": f"{owed + 20}", "method": "card",
        "reference": "AUTH-9001", "last4": "4242", "visit": visit.group(1),
        "apply": keys})  # fmt: skip
    assert paid.status_code == 303, paid.text
    with app.state.db.unit_of_work(1) as uow:
        state = standing(uow, patient)
        assert state.owed == () and state.credit == Decimal("20.00")
        assert balances(uow, patient_id=patient).by_patient[patient].patient_balance == 0
        assert deposit_report(uow, dt.date(2025, 4, 1)).balances
