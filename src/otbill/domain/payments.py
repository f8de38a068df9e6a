"""Patient payments: what a payment may say, how it is applied to what the patient owes, the
write-offs that need a second person, and the day's deposit that must balance.

Why a card payment keeps only a reference: otbill is not a card processor and must never hold a
card number (PCI DSS). The terminal's authorization reference and the card's last four digits are
enough to find a charge again; anything that looks like a whole card number (13 to 19 digits that
pass the Luhn check) is refused in plain words before it is written anywhere.

Applying a payment (:func:`allocate`): oldest first by default (date of service, then the order
the items were listed), or only the items the clerk picked, in the order picked; each item gets at
most what is still owed on it, and whatever is left over is a credit on the account. The pieces
always add up to the payment.

>>> owed = [Owed("line:2", "line", 2, dt.date(2025, 3, 4), Decimal("20.00"), "claim C2"),
...         Owed("entry:1", "entry", 1, dt.date(2025, 1, 2), Decimal("15.00"), "opening")]
>>> pieces, credit = allocate(Decimal("40.00"), owed)
>>> [(p.key, p.amount) for p in pieces], credit
([('entry:1', Decimal('15.00')), ('line:2', Decimal('20.00'))], Decimal('5.00'))
>>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from otbill.domain.record_errors import RecordError

__all__ = [
    "MAX_PAYMENT",
    "SMALL_BALANCE_LIMIT",
    "Application",
    "Deposit",
    "DepositLine",
    "Method",
    "Owed",
    "Payment",
    "Piece",
    "WriteOff",
    "WriteOffKind",
    "allocate",
    "card_number_refusal",
    "check_card_reference",
    "deposit_of",
    "luhn_ok",
    "parse_amount",
    "write_off_refusal",
]

ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
# a patient payment above fifty thousand dollars at a therapy clinic's desk is a typing slip
MAX_PAYMENT = Decimal("50000.00")
# the clinic's small-balance limit: what is left under it may be written off (with approval)
SMALL_BALANCE_LIMIT = Decimal("10.00")


class Method(enum.StrEnum):
    CASH = "cash"
    CHECK = "check"
    CARD = "card"


class WriteOffKind(enum.StrEnum):
    SMALL_BALANCE = "small-balance"
    HARDSHIP = "hardship"


def parse_amount(text: str | Decimal, what: str = "amount") -> Decimal:
    """Dollars and cents, more than 0 and at most :data:`MAX_PAYMENT` (``$1,234.50`` reads)."""
    raw = str(text).strip().replace("$", "").replace(",", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise RecordError(f"{what}: {str(text)[:20]!r} is not an amount of dollars") from None
    if not amount.is_finite() or amount != amount.quantize(_CENT):
        raise RecordError(f"{what}: {str(text)[:20]!r}: dollars and cents, at most two decimals")
    if not ZERO < amount <= MAX_PAYMENT:
        raise RecordError(f"{what}: {amount} must be more than $0 and at most ${MAX_PAYMENT:,}")
    return amount.quantize(_CENT)


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` (digits only) pass the Luhn check that every card number passes."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d)+")


def card_number_refusal(text: str, field: str) -> str | None:
    """A sentence refusing ``text`` when it holds what looks like a whole card number: a run of
    13 to 19 digits passing the Luhn check, written whole or in groups (``4242 4242 ...``)."""
    for run in _DIGIT_RUN.findall(text or ""):
        groups = re.split(r"[ -]", run)
        for first in range(len(groups)):
            for last in range(first, len(groups)):
                digits = "".join(groups[first : last + 1])
                if 13 <= len(digits) <= 19 and luhn_ok(digits):
                    return (
                        f"{field}: this looks like a whole card number; otbill never keeps card "
                        "numbers. Enter the terminal's authorization reference and the card's "
                        "last 4 digits only"
                    )
    return None


def check_card_reference(
    method: Method, reference: str, last4: str
) -> tuple[str | None, str | None]:
    """The (reference, last 4) a payment keeps, or :class:`RecordError` in plain words.

    Cash keeps neither; a check keeps its check number; a card its authorization reference and the
    last 4 digits of the card, never more.
    """
    reference, last4 = (reference or "").strip(), (last4 or "").strip()
    for field, text in (("reference", reference), ("last 4 digits", last4)):
        refusal = card_number_refusal(text, field)
        if refusal:
            raise RecordError(refusal)
    if len(reference) > 40:
        raise RecordError("reference: at most 40 characters")
    if method is Method.CASH:
        return (reference or None), None
    if method is Method.CHECK:
        if not reference:
            raise RecordError("check number: a check payment needs the check's number")
        return reference, None
    if not reference:
        raise RecordError("authorization reference: a card payment needs the terminal's reference")
    if not re.fullmatch(r"\d{4}", last4):
        raise RecordError("last 4 digits: the card's last four digits, exactly 4 digits")
    return reference, last4


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment taken (or a refund given) as stored."""

    id: int
    patient_id: int
    kind: str  # "payment" | "refund"
    method: Method
    amount: Decimal
    received_on: dt.date
    reference: str | None = None  # check number or card authorization reference
    card_last4: str | None = None
    reason: str | None = None
    location_id: int | None = None
    visit_id: int | None = None  # a copay collected at this visit's check-in
    taken_by: int | None = None

    @property
    def how(self) -> str:
        """``card ending 4242, reference A1B2`` / ``check 1043`` / ``cash``."""
        if self.method is Method.CARD:
            return f"card ending {self.card_last4}, reference {self.reference}"
        if self.method is Method.CHECK:
            return f"check {self.reference}"
        return "cash"


@dataclass(frozen=True, slots=True)
class Application:
    """Part of a payment or write-off applied to a claim line, an account entry, or credit."""

    id: int
    patient_id: int
    payment_id: int | None
    write_off_id: int | None
    claim_line_id: int | None
    entry_id: int | None
    from_credit: bool
    amount: Decimal
    applied_on: dt.date

    @property
    def is_credit(self) -> bool:
        return self.claim_line_id is None and self.entry_id is None


@dataclass(frozen=True, slots=True)
class WriteOff:
    id: int
    patient_id: int
    kind: WriteOffKind
    amount: Decimal
    reason: str
    status: str  # pending | approved | refused
    asked_by: int | None
    asked_on: dt.date
    decided_by: int | None = None
    decided_on: dt.date | None = None
    decision_note: str | None = None


@dataclass(frozen=True, slots=True)
class Owed:
    """One thing the patient owes: a claim line's patient share or an account entry."""

    key: str  # "line:<claim line id>" or "entry:<account entry id>"
    target: str  # "line" | "entry"
    target_id: int
    on: dt.date  # the date of service (an entry: its date)
    amount: Decimal  # still owed, more than 0
    label: str  # in words: "claim C-12 line 1, 97530 on 4 Mar 2025"
    visit_id: int | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a payment applied to one owed item."""

    key: str
    target: str
    target_id: int
    amount: Decimal
    label: str


def allocate(
    amount: Decimal, owed: Iterable[Owed], chosen: Sequence[str] | None = None
) -> tuple[list[Piece], Decimal]:
    """Apply ``amount`` to ``owed``: oldest first, or the ``chosen`` keys in their order.

    Returns the pieces and the credit left over; pieces + credit == amount, and no piece exceeds
    what is owed on its item. A chosen key that is not owed is refused by name.
    """
    if amount <= 0:
        raise RecordError(f"amount {amount}: a payment is more than $0")
    items = [o for o in owed if o.amount > 0]
    if chosen is not None:
        by_key = {o.key: o for o in items}
        missing = [k for k in chosen if k not in by_key]
        if missing:
            raise RecordError(f"apply to: {', '.join(missing)} is not owed by this patient")
        order = [by_key[k] for k in dict.fromkeys(chosen)]
    else:
        order = [o for _, o in sorted(enumerate(items), key=lambda p: (p[1].on, p[0]))]
    pieces: list[Piece] = []
    left = amount
    for item in order:
        if left <= 0:
            break
        part = min(left, item.amount)
        pieces.append(Piece(item.key, item.target, item.target_id, part, item.label))
        left -= part
    return pieces, left


def write_off_refusal(
    kind: WriteOffKind, amount: Decimal, owed_total: Decimal, reason: str,
    limit: Decimal = SMALL_BALANCE_LIMIT,
) -> str | None:  # fmt: skip
    """Why this write-off may not be asked for, or None."""
    if not reason.strip():
        return "reason: a write-off needs a reason in words"
    if amount <= 0:
        return f"amount {amount}: a write-off is more than $0"
    if amount > owed_total:
        return f"amount {amount}: more than the ${owed_total} the patient owes"
    if kind is WriteOffKind.SMALL_BALANCE and owed_total >= limit:
        return (
            f"small balance: the patient owes ${owed_total}, not under the clinic's "
            f"small-balance limit of ${limit}; ask for a hardship write-off instead"
        )
    return None


@dataclass(frozen=True, slots=True)
class DepositLine:
    """One payment or refund of the day as the deposit report lists it."""

    id: int
    kind: str  # "payment" | "refund"
    method: Method
    amount: Decimal
    patient: str
    taken_by: str
    reference: str


@dataclass(frozen=True, slots=True)
class Deposit:
    """The day's money: each line, totals by method and by person, and the bank slip."""

    day: dt.date
    lines: tuple[DepositLine, ...]
    by_method: dict[str, Decimal]  # payments by method
    by_person: dict[str, Decimal]  # payments by who took them
    refunds_by_method: dict[str, Decimal]
    payments_total: Decimal
    refunds_total: Decimal

    @property
    def bank_slip(self) -> Decimal:
        """Cash and checks to carry to the bank (card money arrives from the processor)."""
        return self.by_method.get("cash", ZERO) + self.by_method.get("check", ZERO)

    @property
    def net(self) -> Decimal:
        return self.payments_total - self.refunds_total

    def balance_problems(self, ledger_payments: Decimal, ledger_refunds: Decimal) -> list[str]:
        """What does not agree: the lines, the totals by method and by person, and what the
        ledger and the account hold for the day (empty when the deposit balances)."""
        problems = []
        pay = sum((x.amount for x in self.lines if x.kind == "payment"), ZERO)
        ref = sum((x.amount for x in self.lines if x.kind == "refund"), ZERO)
        if pay != self.payments_total or sum(self.by_method.values(), ZERO) != pay:
            problems.append(f"payments: lines add to ${pay}, totals by method do not")
        if sum(self.by_person.values(), ZERO) != pay:
            problems.append(f"payments: lines add to ${pay}, totals by person do not")
        if ref != self.refunds_total or sum(self.refunds_by_method.values(), ZERO) != ref:
            problems.append(f"refunds: lines add to ${ref}, totals by method do not")
        if ledger_payments != pay:
            problems.append(
                f"payments: the ledger and account hold ${ledger_payments} for the day, the "
                f"payments ${pay}"
            )
        if ledger_refunds != ref:
            problems.append(
                f"refunds: the account holds ${ledger_refunds} for the day, the refunds ${ref}"
            )
        return problems


def deposit_of(day: dt.date, lines: Iterable[DepositLine]) -> Deposit:
    """Totals of the day's lines (payments by method and person, refunds by method)."""
    kept = tuple(lines)
    by_method: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_person: dict[str, Decimal] = defaultdict(lambda: ZERO)
    refunds: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in kept:
        if line.kind == "payment":
            by_method[line.method.value] += line.amount
            by_person[line.taken_by] += line.amount
        else:
            refunds[line.method.value] += line.amount
    return Deposit(
        day, kept, dict(by_method), dict(by_person), dict(refunds),
        sum(by_method.values(), ZERO), sum(refunds.values(), ZERO),
    )  # fmt: skip
