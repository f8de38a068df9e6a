"""Patient statements: what a guarantor owes, line by line, aged, and which notice is next.

Pure: the service hands in the ledger's postings of the guarantor's patients (each with the day
it was posted and its line's date of service and code) and their account entries (money outside
claims: opening balances, self-pay charges, payments, credits); this module says

- the statement's lines: per claim line the charge, what insurance paid and adjusted, the
  patient's share with the insurer's reason in plain words ("applied to your deductible"), what
  the patient paid and what is left; then the account entries. The lines' amounts left add up to
  the amount due, by construction.
- the aging of the amount due: the patient's share ages from the day it arose (the day the payer's
  835 moved it to the patient, or the entry's day); payments and credits pay the oldest share
  first. Buckets: current (0-30 days), 31-60, 61-90, over 90; they add up to the amount due.
- the cycle: first statement, second (30 days after the first), final notice (30 days after the
  second), then collections review (no further statement). Everything on the last statement paid
  and new share arisen since: the cycle starts again at the first statement.
- the due date: the statement's date plus the clinic's terms (21 days unless the clinic says).

>>> aging_buckets([(dt.date(2025, 1, 1), Decimal("40.00"))], [Decimal("10.00")],
...               dt.date(2025, 3, 1))
Aging(current=Decimal('0.00'), days_31_60=Decimal('30.00'), days_61_90=Decimal('0.00'), over_90=Decimal('0.00'))
>>> next_cycle(None, dt.date(2025, 3, 1), dt.date(2025, 2, 1)).value
'first'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otbill.codes import carc, cpt
from otbill.domain.ledger import Kind, Posting
from otbill.domain.patient_account import OPENING_BALANCE, PatientEntry
from otbill.domain.registration import Guarantor
from otbill.errors import CodeNotEffective, MalformedCode, UnknownCode

__all__ = [
    "CYCLE_DAYS",
    "DEFAULT_MINIMUM",
    "DEFAULT_TERMS_DAYS",
    "AccountLine",
    "Addressee",
    "Aging",
    "Cycle",
    "Guarantee",
    "LineActivity",
    "SentBefore",
    "Statement",
    "StatementLine",
    "StatementTerms",
    "aging_buckets",
    "build_statement",
    "entry_words",
    "group_by_guarantor",
    "guarantor_key",
    "next_cycle",
    "patient_reason",
    "statement_from_json",
    "statement_json",
]

ZERO = Decimal("0.00")
DEFAULT_TERMS_DAYS = 21
DEFAULT_MINIMUM = Decimal("5.00")
CYCLE_DAYS = 30  # between one notice and the next

DEFAULT_HOW_TO_PAY = (
    "Pay at the front desk, by phone with a card, or by check payable to the clinic mailed to the "
    "address above. Write your account number on the check. Questions about this bill: call the "
    "clinic's billing office."
)


class Cycle(enum.StrEnum):
    FIRST = "first"
    SECOND = "second"
    FINAL = "final"
    COLLECTIONS = "collections"  # no further statement: the clinic reviews the account

    @property
    def words(self) -> str:
        return _CYCLE_WORDS[self]


_CYCLE_WORDS = {
    Cycle.FIRST: "Statement",
    Cycle.SECOND: "Second notice",
    Cycle.FINAL: "Final notice",
    Cycle.COLLECTIONS: "Collections review",
}
_NEXT = {Cycle.FIRST: Cycle.SECOND, Cycle.SECOND: Cycle.FINAL, Cycle.FINAL: Cycle.COLLECTIONS}


# The insurer's reason (group PR's CARC) as the patient reads it: our own words.
_PATIENT_REASONS = {
    "1": "Applied to your deductible",
    "2": "Your coinsurance (your share of the cost)",
    "3": "Your copay",
    "22": "Another insurance may pay this first; until it does, it is yours",
    "27": "Your coverage had ended on the date of service",
    "31": "Your insurer could not find you as its member",
    "96": "Your plan does not cover this service",
    "109": "This insurer does not cover it; tell us about your other insurance",
    "119": "You reached your plan's limit for this benefit",
    "204": "Your plan does not cover this service",
    "242": "The clinic is out of your plan's network",
}


def patient_reason(code: str | None) -> str:
    """The insurer's reason a share is the patient's, in words a patient reads.

    >>> patient_reason("1")
    'Applied to your deductible'
    >>> patient_reason("45")
    'Your insurer says this part is yours to pay (reason code 45)'
    """
    if not code:
        return "Your insurer says this part is yours to pay"
    key = carc.compact(code)
    return _PATIENT_REASONS.get(
        key, f"Your insurer says this part is yours to pay (reason code {key})"
    )


_ENTRY_WORDS = {
    OPENING_BALANCE: "Balance brought forward from the clinic's earlier billing system",
    "payment": "Your payment, thank you",
    "refund": "Refund to you",
    "credit-applied": "Credit on your account applied to your visits",
    "write-off": "Taken off your balance by the clinic",
    "self-pay-charge": "Visit charge (paying yourself)",
    "discount": "Discount",
    "package-sale": "Package of visits",
    "package-use": "Visit paid from your package",
}


def entry_words(entry: PatientEntry) -> str:
    """An account entry in words: its kind, then its source."""
    return _ENTRY_WORDS.get(entry.kind, entry.kind.replace("-", " ").capitalize())


@dataclass(frozen=True, slots=True)
class LineActivity:
    """One ledger posting of a patient, with the day it was posted and its line's service."""

    posting: Posting
    posted_on: dt.date
    service_date: dt.date
    code: str


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One claim line on a statement; ``left`` = ``your_share`` − ``you_paid``."""

    patient_id: int
    claim_id: int
    line_id: int
    service_date: dt.date
    code: str
    description: str
    charge: Decimal
    insurance_paid: Decimal
    insurance_adjusted: Decimal
    your_share: Decimal
    you_paid: Decimal
    reasons: tuple[tuple[str, Decimal], ...]  # (plain words, amount) of the patient's share

    @property
    def left(self) -> Decimal:
        return self.your_share - self.you_paid


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One account entry on a statement (a credit is negative)."""

    patient_id: int
    on: dt.date
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Aging:
    current: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.current + self.days_31_60 + self.days_61_90 + self.over_90

    def __add__(self, other: Aging) -> Aging:
        return Aging(self.current + other.current, self.days_31_60 + other.days_31_60,
                     self.days_61_90 + other.days_61_90, self.over_90 + other.over_90)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StatementTerms:
    """The clinic's statement terms."""

    terms_days: int = DEFAULT_TERMS_DAYS
    minimum: Decimal = DEFAULT_MINIMUM  # no statement for an amount due at or below this
    how_to_pay: str = DEFAULT_HOW_TO_PAY


@dataclass(frozen=True, slots=True)
class Guarantee:
    """Who a statement goes to, and for which patients."""

    key: str  # "patient:<id>" when the patient is their own guarantor, else "guarantor:<...>"
    name: str
    address_line1: str
    city: str
    state: str
    zip: str
    account_number: str
    patients: tuple[tuple[int, str], ...]  # (patient id, name)


@dataclass(frozen=True, slots=True)
class SentBefore:
    """The guarantor's last statement: its cycle and date."""

    cycle: Cycle
    on: dt.date


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement for one guarantor on one date (``cycle`` None: none is due)."""

    guarantee: Guarantee
    on: dt.date
    due_on: dt.date
    cycle: Cycle | None
    lines: tuple[StatementLine, ...]
    entries: tuple[AccountLine, ...]
    aging: Aging
    oldest_open: dt.date | None  # the day the oldest unpaid share arose

    @property
    def amount_due(self) -> Decimal:
        return sum((li.left for li in self.lines), ZERO) + sum(
            (e.amount for e in self.entries), ZERO
        )

    @property
    def insurance_paid(self) -> Decimal:
        return sum((li.insurance_paid for li in self.lines), ZERO)

    @property
    def insurance_adjusted(self) -> Decimal:
        return sum((li.insurance_adjusted for li in self.lines), ZERO)

    @property
    def charges(self) -> Decimal:
        return sum((li.charge for li in self.lines), ZERO)

    @property
    def you_paid(self) -> Decimal:
        return sum((li.you_paid for li in self.lines), ZERO)


def aging_buckets(
    debits: Iterable[tuple[dt.date, Decimal]], credits: Iterable[Decimal], on: dt.date
) -> Aging:
    """What is left of ``debits`` (day each arose, amount) after ``credits`` paid the oldest
    first, in buckets by age on ``on``. Credits beyond the debits leave every bucket zero."""
    open_items = _open_items(debits, credits)
    buckets = [ZERO, ZERO, ZERO, ZERO]
    for since, amount in open_items:
        days = (on - since).days
        index = 0 if days <= 30 else 1 if days <= 60 else 2 if days <= 90 else 3
        buckets[index] += amount
    return Aging(*buckets)


def _open_items(
    debits: Iterable[tuple[dt.date, Decimal]], credits: Iterable[Decimal]
) -> list[tuple[dt.date, Decimal]]:
    paying = sum(credits, ZERO)
    left: list[tuple[dt.date, Decimal]] = []
    for since, amount in sorted(debits, key=lambda d: d[0]):
        used = min(amount, paying)
        paying -= used
        if amount - used > 0:
            left.append((since, amount - used))
    return left


def next_cycle(last: SentBefore | None, on: dt.date, oldest_open: dt.date | None) -> Cycle | None:
    """The notice due on ``on`` after ``last``; None when none is due yet.

    Starts again at the first statement when everything on the last one is paid (the oldest
    open share arose after it)."""
    if last is None or (oldest_open is not None and oldest_open > last.on):
        return Cycle.FIRST
    if last.cycle is Cycle.COLLECTIONS:
        return Cycle.COLLECTIONS
    if (on - last.on).days < CYCLE_DAYS:
        return None
    return _NEXT[last.cycle]


def build_statement(
    guarantee: Guarantee,
    activity: Sequence[LineActivity],
    entries: Sequence[PatientEntry],
    *,
    on: dt.date,
    terms: StatementTerms,
    last: SentBefore | None,
) -> Statement:
    """The guarantor's statement on ``on`` from their patients' postings and account entries."""
    by_id = {a.posting.id: a.posting for a in activity}
    lines: dict[int, _Line] = {}
    debits: list[tuple[dt.date, Decimal]] = []
    credits: list[Decimal] = []
    for item in sorted(activity, key=lambda a: (a.posted_on, a.posting.id)):
        posting, sign = item.posting, 1
        if posting.kind is Kind.REVERSAL:
            original = by_id.get(posting.reverses or -1)
            if original is None:
                continue  # the original is another patient's: not on this statement
            posting, sign = original, -1
        line = lines.setdefault(posting.line_id, _Line(item))
        amount = posting.amount * sign
        if posting.kind is Kind.CHARGE:
            line.charge += amount
        elif posting.kind is Kind.PAYMENT and posting.payer_side:
            line.insurance_paid += amount
        elif posting.kind is Kind.PAYMENT:
            line.you_paid += amount
            _debit_or_credit(debits, credits, item.posted_on, -amount)
        elif posting.kind is Kind.ADJUSTMENT:
            line.insurance_adjusted += amount
        elif posting.kind is Kind.TRANSFER:
            line.your_share += amount
            words = patient_reason(posting.carc)
            line.reasons[words] = line.reasons.get(words, ZERO) + amount
            _debit_or_credit(debits, credits, item.posted_on, amount)
    for entry in entries:
        _debit_or_credit(debits, credits, entry.on, entry.amount)
    shown = tuple(line.done() for line in lines.values() if line.your_share or line.you_paid)
    shown = tuple(li for li in shown if li.left != 0)
    account = tuple(AccountLine(e.patient_id, e.on, entry_words(e), e.amount) for e in entries)
    open_items = _open_items(debits, credits)
    oldest = min((d for d, _ in open_items), default=None)
    statement = Statement(guarantee, on, on + dt.timedelta(days=terms.terms_days), None,
                          tuple(sorted(shown, key=lambda li: (li.service_date, li.line_id))),
                          tuple(sorted(account, key=lambda e: e.on)),
                          aging_buckets(debits, credits, on), oldest)  # fmt: skip
    due = statement.amount_due > terms.minimum
    cycle = next_cycle(last, on, oldest) if due else None
    return Statement(statement.guarantee, on, statement.due_on, cycle, statement.lines,
                     statement.entries, statement.aging, oldest)  # fmt: skip


def _debit_or_credit(
    debits: list[tuple[dt.date, Decimal]], credits: list[Decimal], on: dt.date, amount: Decimal
) -> None:
    if amount > 0:
        debits.append((on, amount))
    elif amount < 0:
        credits.append(-amount)


class _Line:
    __slots__ = ("charge", "first", "insurance_adjusted", "insurance_paid", "reasons",
                 "you_paid", "your_share")  # fmt: skip

    def __init__(self, first: LineActivity) -> None:
        self.first = first
        self.charge = ZERO
        self.insurance_paid = ZERO
        self.insurance_adjusted = ZERO
        self.your_share = ZERO
        self.you_paid = ZERO
        self.reasons: dict[str, Decimal] = {}

    def done(self) -> StatementLine:
        p = self.first.posting
        return StatementLine(p.patient_id, p.claim_id, p.line_id, self.first.service_date,
                             self.first.code, _describe(self.first.code), self.charge,
                             self.insurance_paid, self.insurance_adjusted, self.your_share,
                             self.you_paid,
                             tuple((w, a) for w, a in self.reasons.items() if a))  # fmt: skip


def _describe(code: str) -> str:
    try:
        return cpt.describe(code)
    except (MalformedCode, UnknownCode, CodeNotEffective):  # still printed, by its code
        return f"Service {code}"


@dataclass(frozen=True, slots=True)
class Addressee:
    """A patient with a balance: where their statement goes and who pays for them."""

    patient_id: int
    name: str
    address_line1: str
    city: str
    state: str
    zip: str
    account_number: str
    guarantor: Guarantor | None  # None: the patient is their own guarantor


def guarantor_key(who: Addressee) -> str:
    """One key per person who pays: siblings with the same parent share one statement."""
    g = who.guarantor
    if g is None:
        return f"patient:{who.patient_id}"
    parts = (g.first_name, g.last_name, g.address_line1 or who.address_line1, g.zip or who.zip)
    return "guarantor:" + "|".join(" ".join(p.lower().split()) for p in parts)[:180]


def group_by_guarantor(patients: Iterable[Addressee]) -> list[Guarantee]:
    """The guarantors of ``patients``, each with their patients, in a stable order."""
    groups: dict[str, list[Addressee]] = {}
    for who in sorted(patients, key=lambda p: p.patient_id):
        groups.setdefault(guarantor_key(who), []).append(who)
    out = []
    for key, members in groups.items():
        first = members[0]
        g = first.guarantor
        if g is None:
            name, line1, city, state, zip_ = (first.name, first.address_line1, first.city,
                                              first.state, first.zip)  # fmt: skip
        else:
            name = f"{g.first_name} {g.last_name}"
            has_own = bool(g.address_line1)
            line1 = g.address_line1 if has_own else first.address_line1
            city = g.city if has_own else first.city
            state = g.state if has_own else first.state
            zip_ = g.zip if has_own else first.zip
        out.append(Guarantee(key, name, line1, city, state, zip_, first.account_number,
                             tuple((m.patient_id, m.name) for m in members)))  # fmt: skip
    return out


def statement_json(s: Statement) -> dict[str, Any]:
    """The statement as sent, kept with its record so that its PDF prints the same later."""
    g = s.guarantee
    return {
        "guarantee": [
            g.key,
            g.name,
            g.address_line1,
            g.city,
            g.state,
            g.zip,
            g.account_number,
            [list(p) for p in g.patients],
        ],
        "on": s.on.isoformat(),
        "due_on": s.due_on.isoformat(),
        "cycle": s.cycle.value if s.cycle is not None else None,
        "lines": [
            [
                li.patient_id,
                li.claim_id,
                li.line_id,
                li.service_date.isoformat(),
                li.code,
                li.description,
                str(li.charge),
                str(li.insurance_paid),
                str(li.insurance_adjusted),
                str(li.your_share),
                str(li.you_paid),
                [[w, str(a)] for w, a in li.reasons],
            ]
            for li in s.lines
        ],
        "entries": [
            [e.patient_id, e.on.isoformat(), e.description, str(e.amount)] for e in s.entries
        ],
        "aging": [
            str(s.aging.current),
            str(s.aging.days_31_60),
            str(s.aging.days_61_90),
            str(s.aging.over_90),
        ],
        "oldest_open": s.oldest_open.isoformat() if s.oldest_open else None,
    }


def statement_from_json(d: dict[str, Any]) -> Statement:
    """The statement kept by :func:`statement_json`."""
    key, name, line1, city, state, zip_, account, patients = d["guarantee"]
    day = dt.date.fromisoformat
    lines = tuple(
        StatementLine(
            p,
            c,
            li,
            day(sd),
            code,
            desc,
            D(ch),
            D(ip),
            D(ia),
            D(ys),
            D(yp),
            tuple((w, D(a)) for w, a in reasons),
        )
        for p, c, li, sd, code, desc, ch, ip, ia, ys, yp, reasons in d["lines"]
    )
    entries = tuple(AccountLine(p, day(on), desc, D(a)) for p, on, desc, a in d["entries"])
    return Statement(
        Guarantee(key, name, line1, city, state, zip_, account,
                  tuple((int(i), str(n)) for i, n in patients)),
        day(d["on"]), day(d["due_on"]), Cycle(d["cycle"]) if d["cycle"] else None, lines,
        entries, Aging(*(D(a) for a in d["aging"])),
        day(d["oldest_open"]) if d["oldest_open"] else None,
    )  # fmt: skip


D = Decimal
