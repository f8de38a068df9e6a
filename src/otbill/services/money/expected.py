"""Expected vs paid for every line a payer's 835 answered: the underpayment queue and the
variance by payer.

For each remitted line:

- **expected allowed**: Medicare payers, the PFS amount of the date of service for the whole day
  of the claim (MPPR across its lines, CQ/CO at 85%; :mod:`otbill.domain.pricing`); other payers,
  the clinic's contracted allowed per unit (its fee schedule) times the units;
- **expected paid**: the expected allowed less the patient's share the payer reported (group PR),
  then, for Medicare, less the 2% sequestration (CARC 253);
- **paid**: the payer's payments on the line (reversals counted).

A line is *underpaid* when the expected paid exceeds the paid by more than the tolerance. Lines
the payer denied (nothing paid and no patient share) are the denial queue's, not this one's;
lines with no expected amount (no RVUs, no contracted rate) are counted as not priced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from otbill.domain.money import from_cents
from otbill.domain.pricing import DayLine, PricedLine, sequestered
from otbill.services.money.tariffs import (
    FACILITY_PLACES,
    ContractRates,
    PfsTables,
    is_assistant_line,
    is_medicare,
)
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_pricing import RemittedLine

__all__ = [
    "DEFAULT_TOLERANCE",
    "LineCheck",
    "PayerVariance",
    "UnderpaidGroup",
    "check_lines",
    "underpayment_queue",
    "variance_by_payer",
]

DEFAULT_TOLERANCE = Decimal("1.00")
ZERO = Decimal("0.00")
SEQUESTRATION_CARC = "253"


@dataclass(frozen=True, slots=True)
class LineCheck:
    """One remitted line with its expected amounts and the evidence for them."""

    line_id: int
    claim_id: int
    claim_number: str
    payer_id: int
    payer_name: str
    date: dt.date
    code: str
    modifiers: str
    units: int
    charge: Decimal
    paid: Decimal
    patient_share: Decimal
    adjustments: tuple[tuple[str, str, Decimal], ...]  # (group, CARC, amount)
    expected_allowed: Decimal | None
    expected_paid: Decimal | None
    basis: str  # how the expected amount was reached, in words
    denied: bool

    @property
    def payer_allowed(self) -> Decimal:
        """What the payer allowed: paid + patient share + sequestration withheld."""
        withheld = sum(
            (a for g, c, a in self.adjustments if c == SEQUESTRATION_CARC and g == "CO"), ZERO
        )
        return self.paid + self.patient_share + withheld

    @property
    def shortfall(self) -> Decimal:
        return ZERO if self.expected_paid is None else self.expected_paid - self.paid


def _medicare_basis(priced: PricedLine, label: str) -> str:
    parts = [f"{priced.full_units} x {priced.full_unit}"] if priced.full_units else []
    if priced.reduced_units:
        parts.append(f"{priced.reduced_units} x {priced.reduced_unit} (MPPR: 50% practice expense)")
    text = " + ".join(parts) or "0 units"
    if priced.assistant:
        text += f" = {priced.before_assistant}, x 85% (CQ/CO assistant)"
    return f"{label}: {text}; less the patient's share, less 2% sequestration"


def check_lines(
    lines: Iterable[RemittedLine],
    payers: Mapping[int, tuple[str, str]],  # payer id -> (name, profile)
    pfs: PfsTables,
    contracts: ContractRates,
) -> list[LineCheck]:
    """Expected amounts for remitted lines; a claim's lines are priced together (MPPR)."""
    by_claim: defaultdict[int, list[RemittedLine]] = defaultdict(list)
    for line in lines:
        by_claim[line.claim_id].append(line)
    out: list[LineCheck] = []
    for claim_lines in by_claim.values():
        name, profile = payers.get(claim_lines[0].payer_id, ("payer", ""))
        medicare = is_medicare(profile)
        priced: dict[int, tuple[Decimal | None, str]] = {}
        if medicare:
            by_day: defaultdict[dt.date, list[RemittedLine]] = defaultdict(list)
            for line in claim_lines:
                by_day[line.date].append(line)
            for day, day_lines in by_day.items():
                tariff = pfs.on(day)
                if tariff is None:
                    for line in day_lines:
                        priced[line.line_id] = (None, f"no Medicare fee schedule for {day}")
                    continue
                facility = day_lines[0].place_of_service in FACILITY_PLACES
                day_in = [
                    DayLine(li.code, li.units, is_assistant_line(li.modifiers, li.assistant))
                    for li in day_lines
                ]
                for li, p in zip(day_lines, tariff.price(day_in, facility=facility), strict=True):
                    priced[li.line_id] = (
                        (p.allowed, _medicare_basis(p, tariff.label))
                        if p is not None
                        else (None, f"{li.code} has no payable RVUs in the {tariff.year} table")
                    )
        else:
            for li in claim_lines:
                rate = contracts.per_unit(li.payer_id, li.code, li.date)
                priced[li.line_id] = (
                    (rate * li.units, f"contracted rate {rate} x {li.units} unit(s)")
                    if rate is not None
                    else (None, f"no contracted rate for {li.code} with {name}")
                )
        for li in claim_lines:
            expected, basis = priced[li.line_id]
            paid, share = from_cents(li.paid_cents), from_cents(li.patient_cents)
            expected_paid = None
            if expected is not None:
                owed = max(expected - share, ZERO)
                expected_paid = sequestered(owed) if medicare else owed
            out.append(
                LineCheck(
                    line_id=li.line_id,
                    claim_id=li.claim_id,
                    claim_number=li.claim_number,
                    payer_id=li.payer_id,
                    payer_name=name,
                    date=li.date,
                    code=li.code,
                    modifiers=li.modifiers,
                    units=li.units,
                    charge=from_cents(li.charge_cents),
                    paid=paid,
                    patient_share=share,
                    adjustments=tuple(
                        (g, c, from_cents(a)) for (g, c), a in sorted(li.adjustments.items())
                    ),
                    expected_allowed=expected,
                    expected_paid=expected_paid,
                    basis=basis,
                    denied=li.paid_cents == 0 and li.patient_cents == 0,
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class UnderpaidGroup:
    """Underpaid lines of one payer and code."""

    payer_id: int
    payer_name: str
    code: str
    lines: tuple[LineCheck, ...]

    @property
    def expected(self) -> Decimal:
        return sum((li.expected_paid or ZERO for li in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((li.paid for li in self.lines), ZERO)

    @property
    def shortfall(self) -> Decimal:
        return self.expected - self.paid


def underpayment_queue(
    checks: Iterable[LineCheck], tolerance: Decimal = DEFAULT_TOLERANCE
) -> list[UnderpaidGroup]:
    """Lines paid below expected by more than ``tolerance``, by payer and code, largest
    shortfall first."""
    groups: defaultdict[tuple[int, str, str], list[LineCheck]] = defaultdict(list)
    for li in checks:
        if li.denied or li.expected_paid is None or li.shortfall <= tolerance:
            continue
        groups[(li.payer_id, li.payer_name, li.code)].append(li)
    out = [
        UnderpaidGroup(pid, name, code, tuple(sorted(lines, key=lambda x: (x.date, x.line_id))))
        for (pid, name, code), lines in groups.items()
    ]
    return sorted(out, key=lambda g: (-g.shortfall, g.payer_name, g.code))


@dataclass(frozen=True, slots=True)
class PayerVariance:
    """Expected vs paid for one payer's paid lines."""

    payer_id: int
    payer_name: str
    lines: int
    priced: int
    expected: Decimal
    paid: Decimal
    underpaid_lines: int
    overpaid_lines: int
    denied_lines: int

    @property
    def variance(self) -> Decimal:
        return self.paid - self.expected

    @property
    def percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (self.variance * 100 / self.expected).quantize(Decimal("0.1"))


def variance_by_payer(
    checks: Iterable[LineCheck], tolerance: Decimal = DEFAULT_TOLERANCE
) -> list[PayerVariance]:
    """Per payer: lines, priced lines, expected and paid totals over priced, not denied lines."""
    acc: dict[int, dict[str, Any]] = {}
    for li in checks:
        row = acc.setdefault(
            li.payer_id,
            {"name": li.payer_name, "n": 0, "priced": 0, "exp": ZERO, "paid": ZERO,
             "under": 0, "over": 0, "denied": 0},
        )  # fmt: skip
        row["n"] += 1
        if li.denied:
            row["denied"] += 1
            continue
        if li.expected_paid is None:
            continue
        row["priced"] += 1
        row["exp"] += li.expected_paid
        row["paid"] += li.paid
        if li.shortfall > tolerance:
            row["under"] += 1
        elif -li.shortfall > tolerance:
            row["over"] += 1
    return sorted(
        (
            PayerVariance(
                pid,
                r["name"],
                r["n"],
                r["priced"],
                r["exp"],
                r["paid"],
                r["under"],
                r["over"],
                r["denied"],
            )
            for pid, r in acc.items()
        ),
        key=lambda v: v.payer_name,
    )


def load_checks(uow: UnitOfWork, dirs: list[Path], first: dt.date, end: dt.date) -> list[LineCheck]:
    """Every remitted line of claims served in ``[first, end)`` with its expected amounts."""
    payers = {p.id: (p.name, p.profile) for p in uow.payers.all()}
    contracts = ContractRates(uow.payers.fee_schedule())
    lines = uow.reports.remitted_lines(first, end)
    return check_lines(lines, payers, PfsTables(dirs), contracts)
