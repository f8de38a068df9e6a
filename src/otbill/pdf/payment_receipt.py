"""A patient's receipt for a payment (or a refund) as a PDF: the clinic, the patient, what was
paid and how, what it was applied to, and what the account holds afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.pdf._layout import document, heading, latin1, money, paragraph, row, table

__all__ = ["Receipt", "render_receipt"]


@dataclass(frozen=True, slots=True)
class Receipt:
    clinic_name: str
    clinic_address: str
    number: int  # the payment's id
    kind: str  # payment | refund
    patient: str
    received_on: dt.date
    amount: Decimal
    how: str  # "card ending 4242, reference A1B2"
    taken_by: str
    applied: tuple[tuple[str, Decimal], ...]  # (what, amount)
    credit: Decimal  # left from this payment as credit
    balance: Decimal  # the account afterwards: owed (+) or credit (-)
    reason: str = ""


def _balance_words(balance: Decimal) -> str:
    if balance > 0:
        return f"{money(balance)} still owed"
    if balance < 0:
        return f"{money(-balance)} credit on your account"
    return "nothing owed: your account is paid in full"


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt as PDF bytes (dated the day the money was received)."""
    title = "Refund" if receipt.kind == "refund" else "Payment receipt"
    pdf = document(f"{title} - {receipt.clinic_name}", receipt.received_on)
    paragraph(pdf, receipt.clinic_address)
    heading(pdf, f"Receipt {receipt.number}")
    row(pdf, "Patient", receipt.patient)
    row(pdf, "Date", receipt.received_on.isoformat())
    row(pdf, "Amount refunded" if receipt.kind == "refund" else "Amount paid",
        money(receipt.amount))  # fmt: skip
    row(pdf, "Paid by" if receipt.kind == "payment" else "Refunded by", receipt.how)
    row(pdf, "Taken by", receipt.taken_by)
    if receipt.reason:
        row(pdf, "Reason", receipt.reason)
    if receipt.kind == "payment":
        heading(pdf, "Applied to")
        rows = [[what, money(amount)] for what, amount in receipt.applied]
        if receipt.credit > 0:
            rows.append(["Left as credit on your account", money(receipt.credit)])
        rows.append(["Total", money(receipt.amount)])
        table(pdf, ["What", "Amount"], rows, [140, 40], right=[1], bold_last=True)
    heading(pdf, "Your account")
    paragraph(pdf, latin1(_balance_words(receipt.balance)))
    return bytes(pdf.output())
