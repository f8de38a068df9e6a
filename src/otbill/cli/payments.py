"""``otbill payments``: take a patient's payment (cash, check, or card by its reference and last
4 digits), refund a credit, apply credit held, and the day's deposit report.

``take`` prints what the payment paid, item by item, and the account afterwards (``--receipt F``
writes the receipt PDF); ``deposit`` prints the day's lines and totals, the bank slip, and exits
1 when the day does not balance with the ledger and the accounts (``--pdf F`` writes it).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from otbill.cli.acting import Today, User, read_as_of, write_as
from otbill.cli.common import AsJson, Clinic, DatabaseUrl, fail, parse_date

if TYPE_CHECKING:
    from otbill.storage import UnitOfWork

__all__ = ["app"]

app = typer.Typer(help="Patient payments, refunds and the daily deposit.", no_args_is_help=True)

Patient = Annotated[int, typer.Argument(help="The patient's id.")]
Amount = Annotated[str, typer.Option("--amount", help="Dollars and cents, e.g. 25.00.")]
Method = Annotated[str, typer.Option("--method", help="cash, check or card.")]
Reference = Annotated[
    str, typer.Option("--reference", help="Check number, or the card terminal's reference.")
]
Last4 = Annotated[str, typer.Option("--last4", help="A card's last 4 digits (never the number).")]
On = Annotated[str | None, typer.Option("--on", help="Received on (default: today).")]


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _account(total: Decimal) -> str:
    if total > 0:
        return f"{_money(total)} still owed"
    return f"{_money(-total)} credit" if total < 0 else "paid in full (balance 0.00)"


def _write(path: Path, content: bytes, what: str) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"{path}: cannot write the {what} ({exc.strerror})")


@app.command("take")
def take_command(
    ctx: typer.Context,
    patient_id: Patient,
    amount: Amount,
    method: Method,
    user: User,
    reference: Reference = "",
    last4: Last4 = "",
    apply: Annotated[
        str, typer.Option("--apply", help="Pay these first, in order: line:ID,entry:ID.")
    ] = "",
    visit: Annotated[
        int | None, typer.Option("--visit", help="A copay for this visit (held until billed).")
    ] = None,
    on: On = None,
    receipt: Annotated[
        Path | None, typer.Option("--receipt", help="Write the receipt PDF here.")
    ] = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Take a payment and apply it (oldest first unless --apply or --visit says otherwise)."""
    from otbill.services.payments.receipts import receipt_pdf
    from otbill.services.payments.take import Taken, take_payment

    received = parse_date(on, "--on")
    chosen = [k.strip() for k in apply.split(",") if k.strip()] or None

    def take(uow: UnitOfWork) -> tuple[Taken, bytes]:
        taken = take_payment(uow, patient_id=patient_id, amount=amount, method=method,
                             reference=reference, last4=last4, received_on=received,
                             visit_id=visit, apply_to=chosen)  # fmt: skip
        return taken, (receipt_pdf(uow, taken.payment_id) if receipt else b"")

    taken, pdf = write_as(ctx, (database_url, clinic, user), take)
    paid = sum((p.amount for p in taken.pieces), taken.credit)
    print(f"payment {taken.payment_id}: {_money(paid)} taken")
    for piece in taken.pieces:
        print(f"  {_money(piece.amount):>10}  {piece.label}")
    if taken.credit > 0:
        print(f"  {_money(taken.credit):>10}  left as credit on the account")
    print(f"account: {_account(taken.after.total)}")
    if receipt is not None:
        _write(receipt, pdf, "receipt")
        print(f"receipt written to {receipt}")


@app.command("refund")
def refund_command(
    ctx: typer.Context,
    patient_id: Patient,
    amount: Amount,
    method: Method,
    user: User,
    reason: Annotated[str, typer.Option("--reason", help="Why, in words.")],
    reference: Reference = "",
    last4: Last4 = "",
    on: On = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Refund part or all of a patient's credit."""
    from otbill.services.payments.standing import standing
    from otbill.services.payments.take import refund

    given = parse_date(on, "--on")

    def give(uow: UnitOfWork) -> tuple[int, Decimal]:
        made = refund(uow, patient_id=patient_id, amount=amount, method=method, reason=reason,
                      reference=reference, last4=last4, on=given)  # fmt: skip
        return made, standing(uow, patient_id).total

    made, total = write_as(ctx, (database_url, clinic, user), give)
    print(f"refund {made}: {_money(Decimal(amount.replace('$', '').replace(',', '')))} "
          f"by {method}; account: {_account(total)}")  # fmt: skip


@app.command("apply-credit")
def apply_credit_command(
    ctx: typer.Context,
    patient_id: Patient,
    user: User,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """Apply a patient's credit to what they owe now (a copay to its own visit first)."""
    from otbill.services.payments.take import apply_credit

    pieces = write_as(ctx, (database_url, clinic, user), lambda uow: apply_credit(uow, patient_id))
    if not pieces:
        print("no credit applied (no credit, nothing owed, or a copay waiting for its visit)")
    for piece in pieces:
        print(f"  {_money(piece.amount):>10}  {piece.label}")


@app.command("deposit")
def deposit_command(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--day", help="The day (default: today).")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the report PDF here.")] = None,
    as_json: AsJson = False,
    today: Today = None,
    database_url: DatabaseUrl = None,
    clinic: Clinic = None,
) -> None:
    """The day's payments and refunds by method and person, the bank slip, and whether the day
    balances with the ledger and the accounts (exit 1 when it does not)."""
    from otbill.pdf.deposit import render_deposit
    from otbill.services.payments.deposit import deposit_report

    asked = parse_date(day, "--day")
    report = read_as_of(ctx, (database_url, clinic, today),
                        lambda uow, on: deposit_report(uow, asked or on))  # fmt: skip
    d = report.deposit
    if pdf is not None:
        _write(pdf, render_deposit(report.clinic_name, d, report.problems), "deposit report")
    if as_json:
        print(json.dumps({
            "day": d.day.isoformat(),
            "lines": [{"id": x.id, "kind": x.kind, "method": x.method.value,
                       "amount": str(x.amount), "patient": x.patient, "taken_by": x.taken_by,
                       "how": x.reference} for x in d.lines],
            "payments_by_method": {k: str(v) for k, v in d.by_method.items()},
            "payments_by_person": {k: str(v) for k, v in d.by_person.items()},
            "refunds_by_method": {k: str(v) for k, v in d.refunds_by_method.items()},
            "bank_slip": str(d.bank_slip), "payments": str(d.payments_total),
            "refunds": str(d.refunds_total), "balances": report.balances,
            "problems": list(report.problems),
        }, indent=2))  # fmt: skip
    else:
        print(f"deposit of {d.day.isoformat()}: {len(d.lines)} line(s)")
        for x in d.lines:
            sign = "" if x.kind == "payment" else "-"
            print(f"  {x.id:>5}  {x.kind:<7}  {sign + _money(x.amount):>11}  {x.patient}  "
                  f"({x.reference}; {x.taken_by})")  # fmt: skip
        for method in ("cash", "check", "card"):
            print(f"{method:>6}: {_money(d.by_method.get(method, Decimal(0)))}")
        for person, amount in sorted(d.by_person.items()):
            print(f"taken by {person}: {_money(amount)}")
        print(f"refunds: {_money(d.refunds_total)}")
        print(f"bank slip (cash and checks): {_money(d.bank_slip)}")
        print("balances with the ledger and the accounts" if report.balances
              else "DOES NOT BALANCE: " + "; ".join(report.problems))  # fmt: skip
        if pdf is not None:
            print(f"report written to {pdf}")
    if not report.balances:
        raise typer.Exit(1)
