"""A payment's receipt: what the patient reads (and gets as a PDF)."""

from __future__ import annotations

from decimal import Decimal

from otbill.pdf.payment_receipt import Receipt, render_receipt
from otbill.services.frontdesk.price_list import address_line
from otbill.services.payments.standing import standing
from otbill.storage import UnitOfWork

__all__ = ["receipt_of", "receipt_pdf"]


def receipt_of(uow: UnitOfWork, payment_id: int) -> Receipt:
    """The receipt of a payment or refund; the balance is the account's as it is now."""
    payment = uow.payments.get(payment_id)
    patient = uow.patients.get(payment.patient_id)
    clinic = uow.clinics.identity()
    lines = {x.line_id: x for x in uow.payments.patient_lines(payment.patient_id)}
    entries = {e.id: e for e in uow.patient_account.of_patients([payment.patient_id])}
    applied: list[tuple[str, Decimal]] = []
    credit = Decimal("0.00")
    for a in uow.payments.applications(payment_id=payment_id):
        if a.from_credit:
            continue
        if a.claim_line_id is not None:
            x = lines[a.claim_line_id]
            applied.append((f"Claim {x.claim_number} line {x.position}: {x.code} on "
                            f"{x.date.isoformat()}", a.amount))  # fmt: skip
        elif a.entry_id is not None:
            e = entries[a.entry_id]
            applied.append((f"{e.kind.replace('-', ' ').capitalize()} of {e.on.isoformat()}",
                            a.amount))  # fmt: skip
        else:
            credit += a.amount
    taken_by = uow.users.get(payment.taken_by).full_name if payment.taken_by else "the clinic"
    return Receipt(
        clinic.name, address_line(*clinic.address), payment.id, payment.kind,
        f"{patient.first_name} {patient.last_name}", payment.received_on, payment.amount,
        payment.how, taken_by, tuple(applied), credit, standing(uow, payment.patient_id).total,
        payment.reason or "",
    )  # fmt: skip


def receipt_pdf(uow: UnitOfWork, payment_id: int) -> bytes:
    return render_receipt(receipt_of(uow, payment_id))
