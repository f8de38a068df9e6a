"""The day's deposit report as a PDF: each payment and refund, totals by method and by person,
the bank slip (cash and checks), and whether it balances with the books."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from otbill.domain.payments import Deposit
from otbill.pdf._layout import document, heading, money, paragraph, row, table

__all__ = ["render_deposit"]


def render_deposit(clinic_name: str, deposit: Deposit, problems: Sequence[str]) -> bytes:
    """The deposit of ``deposit.day`` as PDF bytes."""
    pdf = document(f"Daily deposit {deposit.day.isoformat()} - {clinic_name}", deposit.day)
    heading(pdf, "Payments and refunds")
    rows = [[str(x.id), x.kind, x.patient, x.reference, x.taken_by,
             money(x.amount) if x.kind == "payment" else f"-{money(x.amount)}"]
            for x in deposit.lines]  # fmt: skip
    if rows:
        table(pdf, ["No.", "Kind", "Patient", "How", "Taken by", "Amount"], rows,
              [12, 18, 40, 55, 35, 20], right=[5])  # fmt: skip
    else:
        paragraph(pdf, "No payments or refunds on this day.")
    heading(pdf, "Totals")
    for method in ("cash", "check", "card"):
        row(pdf, f"Payments by {method}", money(deposit.by_method.get(method, Decimal(0))))
    for person, amount in sorted(deposit.by_person.items()):
        row(pdf, f"Taken by {person}", money(amount))
    for method, amount in sorted(deposit.refunds_by_method.items()):
        row(pdf, f"Refunds by {method}", money(amount))
    row(pdf, "Payments", money(deposit.payments_total))
    row(pdf, "Refunds", money(deposit.refunds_total))
    row(pdf, "Bank slip (cash and checks)", money(deposit.bank_slip))
    heading(pdf, "Balances with the books" if not problems else "Does not balance")
    if problems:
        for problem in problems:
            paragraph(pdf, problem)
    else:
        paragraph(pdf, "The lines, the totals and what the ledger and the accounts hold agree.")
    return bytes(pdf.output())
