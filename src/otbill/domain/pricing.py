"""Expected Medicare payment for a day's therapy lines: PFS amount, MPPR, CQ/CO, sequestration.

Pure arithmetic in Decimal; no tables are read here (the caller hands in RVUs, GPCIs and the
conversion factor in force on the date of service, from :mod:`otbill.refdata`).

Rules, with their sources:

- **PFS amount per unit** (42 CFR 414.20; CMS RVU25D readme, "The formula for 2025 physician fee
  schedule payment amount"): ``[(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)]
  x CF``, non-facility PE in an office (place of service 11), facility PE otherwise where the
  facility rate applies. Computed in full precision, rounded once to cents, half up (reproduces
  CMS's published national amounts: 97530 in 2025, 1.07 x 32.3465 = 34.610755 -> $34.61).
- **Multiple procedure payment reduction for therapy** (Medicare Claims Processing Manual, Pub
  100-04, ch. 5, section 10.7; PPRRVU column MULT PROC, indicator 5): on one day, the first unit
  of the service with the highest practice expense is paid in full; every other unit of it and
  every unit of the other indicator-5 services is paid with 50% of its practice expense. Work
  and malpractice are never reduced. Services without indicator 5 are neither reduced nor count
  as the first.
- **CQ/CO** (CMS, "Billing Examples Using CQ/CO Modifiers for Services Furnished In Whole or In
  Part by PTAs and OTAs"; CY2022 PFS final rule): a line furnished in whole or in part by an
  assistant is paid 85% of the otherwise applicable amount from 2022-01-01.
- **Sequestration** (Budget Control Act of 2011 as extended; 835 CARC 253): Medicare's payment
  (the allowed amount less the patient's deductible and coinsurance) is reduced by 2%.

Each step is rounded to cents half up as it is applied (per unit amount; the CQ/CO line
amount; the sequestration reduction), which is how the amounts appear on an 835 line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "ASSISTANT_SHARE",
    "MPPR_PE_SHARE",
    "SEQUESTRATION",
    "DayLine",
    "Gpcis",
    "PricedLine",
    "Rvus",
    "price_day",
    "sequestered",
    "unit_amount",
]

CENT = Decimal("0.01")
MPPR_PE_SHARE = Decimal("0.5")
ASSISTANT_SHARE = Decimal("0.85")
SEQUESTRATION = Decimal("0.02")
_ONE = Decimal(1)
ZERO = Decimal("0.00")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Rvus:
    """One code's relative values (the PE already chosen: non-facility or facility)."""

    work: Decimal
    pe: Decimal
    mp: Decimal
    therapy_mppr: bool = True  # MULT PROC indicator 5


@dataclass(frozen=True, slots=True)
class Gpcis:
    """A locality's geographic practice cost indices; national is 1.0 each."""

    work: Decimal = _ONE
    pe: Decimal = _ONE
    mp: Decimal = _ONE


NATIONAL = Gpcis()


def unit_amount(
    rvus: Rvus, cf: Decimal, gpcis: Gpcis = NATIONAL, *, pe_share: Decimal = _ONE
) -> Decimal:
    """One unit's PFS amount, cents half up; ``pe_share`` 0.5 for a reduced (MPPR) unit.

    >>> r97530 = Rvus(Decimal("0.44"), Decimal("0.62"), Decimal("0.01"))
    >>> unit_amount(r97530, Decimal("32.3465"))
    Decimal('34.61')
    >>> unit_amount(r97530, Decimal("32.3465"), pe_share=MPPR_PE_SHARE)  # 0.76 x 32.3465
    Decimal('24.58')
    >>> unit_amount(r97530, Decimal("33.2875"))  # the 2024 factor from 2024-03-09
    Decimal('35.62')
    """
    raw = rvus.work * gpcis.work + rvus.pe * pe_share * gpcis.pe + rvus.mp * gpcis.mp
    return _cents(raw * cf)


@dataclass(frozen=True, slots=True)
class DayLine:
    """A line of one day: code, units, and whether an assistant furnished it (CQ/CO)."""

    code: str
    units: int
    assistant: bool = False


@dataclass(frozen=True, slots=True)
class PricedLine:
    """The expected allowed amount of one line and how it was reached."""

    code: str
    units: int
    full_units: int  # units paid with their whole practice expense
    reduced_units: int  # units paid with 50% of it (MPPR)
    full_unit: Decimal  # one unit's amount in full
    reduced_unit: Decimal  # one unit's amount with the PE halved
    before_assistant: Decimal  # full_units x full_unit + reduced_units x reduced_unit
    allowed: Decimal  # after the CQ/CO reduction when it applies
    assistant: bool

    @property
    def mppr_reduction(self) -> Decimal:
        return self.reduced_units * (self.full_unit - self.reduced_unit)

    @property
    def assistant_reduction(self) -> Decimal:
        return self.before_assistant - self.allowed


def _first_line(lines: Sequence[DayLine], rates: Mapping[str, Rvus]) -> int | None:
    """Index of the line whose first unit is paid in full: the highest PE among indicator-5
    lines; on equal PE a therapist's line before an assistant's (CQ/CO), then the lower code,
    then the line with more units, so the order of the lines does not change the day."""
    candidates = [
        ((-rvus.pe, line.assistant, line.code, -line.units), index)
        for index, line in enumerate(lines)
        if (rvus := rates.get(line.code)) is not None and rvus.therapy_mppr and line.units > 0
    ]
    return min(candidates)[1] if candidates else None


def price_day(
    lines: Sequence[DayLine],
    rates: Mapping[str, Rvus],
    cf: Decimal,
    gpcis: Gpcis = NATIONAL,
    *,
    mppr: bool = True,
    cache: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> tuple[PricedLine | None, ...]:
    """Expected allowed amount of each line of one patient's day (None: no RVUs for the code).

    A day of 97530 x 2 and 97110 x 1 in 2025, national: 97530 has the higher PE (0.62), so its
    first unit is paid in full (34.61), its second and the 97110 unit with half their PE
    (24.58 and 21.83):

    >>> rates = {
    ...     "97530": Rvus(Decimal("0.44"), Decimal("0.62"), Decimal("0.01")),
    ...     "97110": Rvus(Decimal("0.45"), Decimal("0.43"), Decimal("0.01")),
    ... }
    >>> cf = Decimal("32.3465")
    >>> a, b = price_day([DayLine("97110", 1), DayLine("97530", 2)], rates, cf)
    >>> (a.allowed, b.allowed, a.allowed + b.allowed)
    (Decimal('21.83'), Decimal('59.19'), Decimal('81.02'))

    The same 97110 unit furnished by an assistant (CO) is paid 85%: 21.83 x 0.85 = 18.5555:

    >>> price_day([DayLine("97110", 1, True), DayLine("97530", 2)], rates, cf)[0].allowed
    Decimal('18.56')

    ``cache`` (code -> full and reduced unit amounts) may be kept by a caller pricing many
    days under the same RVUs, factor and GPCIs.
    """
    first = _first_line(lines, rates) if mppr else None
    out: list[PricedLine | None] = []
    for index, line in enumerate(lines):
        rvus = rates.get(line.code)
        if rvus is None:
            out.append(None)
            continue
        units = max(line.units, 0)
        amounts = cache.get(line.code) if cache is not None else None
        if amounts is None:
            amounts = (
                unit_amount(rvus, cf, gpcis),
                unit_amount(rvus, cf, gpcis, pe_share=MPPR_PE_SHARE),
            )
            if cache is not None:
                cache[line.code] = amounts
        full_unit, reduced_unit = amounts
        if not mppr or not rvus.therapy_mppr:
            full, reduced = units, 0
        elif index == first:
            full, reduced = min(units, 1), max(units - 1, 0)
        else:
            full, reduced = 0, units
        amount = full * full_unit + reduced * reduced_unit
        allowed = _cents(amount * ASSISTANT_SHARE) if line.assistant else amount
        out.append(
            PricedLine(
                line.code,
                units,
                full,
                reduced,
                full_unit,
                reduced_unit,
                amount,
                allowed,
                line.assistant,
            )
        )
    return tuple(out)


def sequestered(payment: Decimal) -> Decimal:
    """Medicare's payment after the 2% sequestration (CARC 253), cents half up.

    >>> sequestered(Decimal("27.69"))  # 34.61 allowed less 20% coinsurance (6.92)
    Decimal('27.14')
    """
    if payment <= 0:
        return ZERO
    return payment - _cents(payment * SEQUESTRATION)


def total(lines: Iterable[PricedLine | None]) -> Decimal:
    """Sum of the priced lines' allowed amounts (unpriced lines count nothing)."""
    return sum((line.allowed for line in lines if line is not None), ZERO)
