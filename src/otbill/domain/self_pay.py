"""Self-pay discounts as rules, and cash packages: what a self-pay visit costs the patient.

A self-pay patient's visit makes no claim; each billed line is charged at the charge master's
price on the visit date, less what the clinic's rules give (never a hand edit of one visit):

- **sliding scale**: tiers by household income as a percent of the poverty guideline (the HHS
  poverty guidelines: a household of one, plus an amount for each person more; the clinic enters
  the year's figures with the tiers). A household at or below a tier's percent gets its discount;
  the lowest tier that holds the household wins.
- **prompt pay**: a percent off what is left when the patient pays at the visit.

Rules are versioned by effective date: for each kind, the rows with the latest ``effective_from``
on or before the visit date are the rules in force (a row of 0 percent ends a discount).

>>> tiers = (DiscountRule("sliding-scale", dt.date(2025, 1, 1), 50, 150, 1565000, 550000),
...          DiscountRule("sliding-scale", dt.date(2025, 1, 1), 25, 200, 1565000, 550000))
>>> poverty_percent(Household(3, 3000000, dt.date(2025, 1, 1)), tiers[0])
112
>>> sliding_rule(tiers, Household(3, 3000000, dt.date(2025, 1, 1)), dt.date(2025, 3, 1)).percent_off
50
>>> percent_of(9000, 25)
2250
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "PROMPT_PAY",
    "RULE_KINDS",
    "SLIDING_SCALE",
    "DiscountRule",
    "Household",
    "PackageOffer",
    "SoldPackage",
    "in_force",
    "package_for_visit",
    "percent_of",
    "poverty_percent",
    "sliding_rule",
]

PROMPT_PAY = "prompt-pay"
SLIDING_SCALE = "sliding-scale"
RULE_KINDS = (PROMPT_PAY, SLIDING_SCALE)


@dataclass(frozen=True, slots=True)
class DiscountRule:
    """One rule from a date; a sliding-scale tier names its income limit and the guideline."""

    kind: str
    effective_from: dt.date
    percent_off: int
    income_up_to_percent: int | None = None  # of the poverty guideline (sliding scale)
    guideline_first_cents: int | None = None  # a household of one
    guideline_each_more_cents: int | None = None  # each person more
    id: int = 0


@dataclass(frozen=True, slots=True)
class Household:
    """A household's size and yearly income, as told on a day."""

    size: int
    income_cents: int
    recorded_on: dt.date


@dataclass(frozen=True, slots=True)
class PackageOffer:
    """A package the clinic offers: visits for a price, valid a number of days from the sale."""

    id: int
    name: str
    visits: int
    price_cents: int
    valid_days: int
    active: bool = True


@dataclass(frozen=True, slots=True)
class SoldPackage:
    """A package sold to a patient, with the visits it has used so far."""

    id: int
    patient_id: int
    package_id: int
    name: str
    visits: int
    price_cents: int
    sold_on: dt.date
    expires_on: dt.date
    used: int = 0

    @property
    def left(self) -> int:
        return max(self.visits - self.used, 0)

    def usable_on(self, on: dt.date) -> bool:
        return self.left > 0 and self.sold_on <= on <= self.expires_on


def in_force(rules: Iterable[DiscountRule], kind: str, on: dt.date) -> tuple[DiscountRule, ...]:
    """The rules of ``kind`` in force on ``on``: those of the latest effective date by then."""
    mine = [r for r in rules if r.kind == kind and r.effective_from <= on]
    if not mine:
        return ()
    latest = max(r.effective_from for r in mine)
    return tuple(r for r in mine if r.effective_from == latest)


def poverty_percent(household: Household, tier: DiscountRule) -> int:
    """The household's income as a whole percent of the tier's poverty guideline (rounded down)."""
    first = tier.guideline_first_cents or 0
    each = tier.guideline_each_more_cents or 0
    guideline = first + each * (household.size - 1)
    if guideline <= 0:
        raise ValueError("a sliding-scale tier needs the poverty guideline for a household of one")
    return household.income_cents * 100 // guideline


def sliding_rule(
    rules: Iterable[DiscountRule], household: Household | None, on: dt.date
) -> DiscountRule | None:
    """The sliding-scale tier that holds the household on ``on`` (lowest limit first); None when
    no household is on file or no tier holds it."""
    if household is None:
        return None
    tiers = sorted(in_force(rules, SLIDING_SCALE, on), key=lambda r: r.income_up_to_percent or 0)
    for tier in tiers:
        if tier.percent_off and poverty_percent(household, tier) <= (
            tier.income_up_to_percent or 0
        ):
            return tier
    return None


def percent_of(cents: int, percent: int) -> int:
    """``percent`` of an amount in cents, half a cent rounded up."""
    return (cents * percent + 50) // 100


def package_for_visit(packages: Sequence[SoldPackage], on: dt.date) -> SoldPackage | None:
    """The package a visit on ``on`` uses: the one that runs out first among those usable."""
    usable = [p for p in packages if p.usable_on(on)]
    return min(usable, key=lambda p: (p.expires_on, p.id)) if usable else None
