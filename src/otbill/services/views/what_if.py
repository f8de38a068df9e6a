"""What-if re-pricing of the clinic's last 12 months of billed visits.

Three scenarios, each compared with the expected allowed amounts as they stand (the Medicare PFS
in force on each date of service; the contracted rates for other payers):

- **year**: Medicare lines priced under one year's RVUs and conversion factor, then another's
  (e.g. 2024 -> 2025, the CF falling from 33.2875 to 32.3465, -2.83%); other payers unchanged.
  A year whose RVU table is neither imported nor shipped uses the other year's RVUs, and the
  result says so (then the change is the conversion factor's alone).
- **rates**: one payer's proposed rates (code -> allowed per unit) instead of its contract.
- **mix**: a share of one payer's visits moved to another payer, priced as that payer pays
  (a Medicare day, grouped by month, at the receiving payer's rates in force on the 15th).

Speed: lines are grouped first (a Medicare day by its payer, month, tables, place and the
sorted (code, units, assistant) of its lines, since MPPR prices a day whole; a contracted line
by payer, date, code and units, or its whole day when the day moves to another payer), and each distinct group is priced once per side and multiplied
by its count. Twelve months of a 20-therapist clinic (about 60,000 visits) is a few thousand
groups (bench/what_if.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.domain.pricing import DayLine
from otbill.domain.record_errors import RecordError
from otbill.refdata.fee_schedule import conversion_factor
from otbill.refdata.store import load_rvu
from otbill.services.money.tariffs import (
    FACILITY_PLACES,
    ContractRates,
    PfsTables,
    Tariff,
    is_medicare,
)
from otbill.storage import UnitOfWork

__all__ = [
    "Change",
    "Scenario",
    "WhatIf",
    "last_twelve_months",
    "what_if",
]

ZERO = Decimal("0.00")
Day = tuple[tuple[str, int, bool], ...]  # sorted (code, units, assistant)


@dataclass(frozen=True, slots=True)
class Scenario:
    """What to re-price under; ``kind`` is ``year``, ``rates`` or ``mix``."""

    kind: str
    from_year: int | None = None
    to_year: int | None = None
    payer_id: int | None = None  # rates: whose; mix: from whom
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    to_payer_id: int | None = None  # mix: to whom
    share: Decimal = Decimal(0)  # mix: 0..1


@dataclass(frozen=True, slots=True)
class Change:
    """Expected allowed before and after, for one payer, code or month."""

    label: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        if not self.before:
            return None
        return (self.change * 100 / self.before).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class WhatIf:
    title: str
    first: dt.date
    end: dt.date
    visits: int
    lines: int
    groups: int
    total: Change
    by_payer: tuple[Change, ...]
    by_code: tuple[Change, ...]
    by_month: tuple[Change, ...]
    notes: tuple[str, ...]


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 whole months before ``today``'s month: ``[first, end)``."""
    end = today.replace(day=1)
    return end.replace(year=end.year - 1), end


class _Sums:
    def __init__(self) -> None:
        self.payer: defaultdict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        self.code: defaultdict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        self.month: defaultdict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])

    def add(self, side: int, payer: str, code: str, month: str, amount: Decimal) -> None:
        self.payer[payer][side] += amount
        self.code[code][side] += amount
        self.month[month][side] += amount

    @staticmethod
    def rows(table: Mapping[str, list[Decimal]]) -> tuple[Change, ...]:
        return tuple(Change(k, v[0], v[1]) for k, v in sorted(table.items()))


def _year_tariff(
    pfs: PfsTables, year: int, other: int, notes: list[str]
) -> tuple[Tariff | None, str]:
    """A year's tables for the whole window: its RVUs (else the other year's) and its CF on
    31 December (the factor in force at the year's end)."""
    end = dt.date(year, 12, 31)
    cf = conversion_factor(end)
    if cf is None:
        return None, f"no conversion factor is known for {year}"
    rvu_day = end
    if load_rvu(end, pfs.dirs) is None:
        rvu_day = dt.date(other, 12, 31)
        if load_rvu(rvu_day, pfs.dirs) is None:
            return None, f"no RVU table for {year} or {other}"
        notes.append(
            f"No {year} RVU table is imported (otbill refdata import rvu PPRRVU{year}...csv), "
            f"so {other} RVUs price both years: the change shown is the conversion factor's "
            "alone."
        )
    return pfs.on(end, cf=cf, rvu_day=rvu_day), ""


def what_if(
    uow: UnitOfWork,
    dirs: list[Path],
    scenario: Scenario,
    first: dt.date,
    end: dt.date,
) -> WhatIf:
    """Re-price the billed lines served in ``[first, end)`` under ``scenario``."""
    payers = {p.id: (p.name, p.profile) for p in uow.payers.all()}
    contracts = ContractRates(uow.payers.fee_schedule())
    days = uow.reports.billed_days(first, end)
    return reprice(days, payers, contracts, PfsTables(dirs), scenario, first, end)


def reprice(
    days: Iterable[tuple[int, dt.date, str, Day, int]],
    payers: Mapping[int, tuple[str, str]],
    contracts: ContractRates,
    pfs: PfsTables,
    scenario: Scenario,
    first: dt.date,
    end: dt.date,
) -> WhatIf:
    """Re-price ``days`` (payer, date, place, sorted lines, how many such claims)."""
    notes: list[str] = []
    medicare_days: Counter[tuple[int, str, int, bool, Day]] = Counter()
    contracted: Counter[tuple[int, dt.date, bool, Day]] = Counter()
    tariffs: dict[int, Tariff] = {}
    unpriced = visits = lines = 0
    moving_payer = scenario.payer_id if scenario.kind == "mix" else None
    for payer_id, day, pos, day_lines, count in days:
        visits += count
        lines += count * len(day_lines)
        if is_medicare(payers.get(payer_id, ("", ""))[1]):
            tariff = pfs.on(day)
            if tariff is None:
                unpriced += count * len(day_lines)
                continue
            tariffs[id(tariff)] = tariff
            key = (payer_id, f"{day:%Y-%m}", id(tariff), pos in FACILITY_PLACES)
            medicare_days[(*key, day_lines)] += count
        elif moving_payer == payer_id:  # a day moves whole to the other payer
            contracted[(payer_id, day, pos in FACILITY_PLACES, day_lines)] += count
        else:
            for line in day_lines:
                contracted[(payer_id, day, False, (line,))] += count

    before_year = after_year = None
    if scenario.kind == "year":
        assert scenario.from_year is not None and scenario.to_year is not None
        before_year, why = _year_tariff(pfs, scenario.from_year, scenario.to_year, notes)
        after_year, why2 = _year_tariff(pfs, scenario.to_year, scenario.from_year, notes)
        if before_year is None or after_year is None:
            raise RecordError(f"cannot price the years asked: {why or why2}")
        notes.insert(0, f"Before: {before_year.label}. After: {after_year.label}.")
    after_contracts = contracts
    if scenario.kind == "rates":
        assert scenario.payer_id is not None
        after_contracts = contracts.with_rates(scenario.payer_id, scenario.rates)
    moved_to = scenario.to_payer_id if scenario.kind == "mix" else None
    share = scenario.share if scenario.kind == "mix" else Decimal(0)

    def name(payer_id: int) -> str:
        return payers.get(payer_id, (f"payer {payer_id}", ""))[0]

    sums = _Sums()

    def medicare_side(tariff: Tariff, facility: bool, day: Day) -> list[tuple[str, Decimal]]:
        priced = tariff.price([DayLine(c, u, a) for c, u, a in day], facility=facility)
        return [(p.code, p.allowed) for p in priced if p is not None]

    def contract_side(
        rates: ContractRates, payer_id: int, day: dt.date, code: str, units: int
    ) -> Decimal | None:
        rate = rates.per_unit(payer_id, code, day)
        return None if rate is None else rate * units

    def priced_as(payer_id: int) -> Callable[[dt.date, Day, bool], list[tuple[str, Decimal]]]:
        """How ``payer_id`` would price a day (the mix scenario's receiving payer)."""
        if is_medicare(payers.get(payer_id, ("", ""))[1]):

            def medicare(day: dt.date, lines: Day, facility: bool) -> list[tuple[str, Decimal]]:
                tariff = pfs.on(day)
                return [] if tariff is None else medicare_side(tariff, facility, lines)

            return medicare

        def contract(day: dt.date, lines: Day, facility: bool) -> list[tuple[str, Decimal]]:
            out = []
            for code, units, _ in lines:
                amount = contract_side(contracts, payer_id, day, code, units)
                if amount is not None:
                    out.append((code, amount))
            return out

        return contract

    groups = len(medicare_days) + len(contracted)
    for (payer_id, month, tariff_id, facility, lines_of_day), count in medicare_days.items():
        tariff = tariffs[tariff_id]
        before_t = before_year or tariff
        after_t = after_year or tariff
        for code, amount in medicare_side(before_t, facility, lines_of_day):
            sums.add(0, name(payer_id), code, month, amount * count)
        after = medicare_side(after_t, facility, lines_of_day)
        if moved_to is not None and payer_id == scenario.payer_id:
            kept = count * (1 - share)
            moved = count * share
            for code, amount in after:
                sums.add(1, name(payer_id), code, month, amount * kept)
            some_day = dt.date.fromisoformat(f"{month}-15")
            for code, amount in priced_as(moved_to)(some_day, lines_of_day, facility):
                sums.add(1, name(moved_to), code, month, amount * moved)
        else:
            for code, amount in after:
                sums.add(1, name(payer_id), code, month, amount * count)
    for (payer_id, day, facility, lines_of_day), count in contracted.items():
        month = f"{day:%Y-%m}"
        moving = moved_to is not None and payer_id == scenario.payer_id
        for code, units, _ in lines_of_day:
            before = contract_side(contracts, payer_id, day, code, units)
            if before is None:
                unpriced += count
                continue
            sums.add(0, name(payer_id), code, month, before * count)
            now = contract_side(after_contracts, payer_id, day, code, units) or ZERO
            sums.add(1, name(payer_id), code, month, now * count * (1 - share if moving else 1))
        if moving and moved_to is not None:
            for c, amount in priced_as(moved_to)(day, lines_of_day, facility):
                sums.add(1, name(moved_to), c, month, amount * count * share)
    if unpriced:
        notes.append(
            f"{unpriced} line(s) have no expected amount (no RVUs or contracted rate) and are "
            "left out of both sides."
        )
    cent = Decimal("0.01")

    def rounded(rows: tuple[Change, ...]) -> tuple[Change, ...]:
        return tuple(Change(r.label, r.before.quantize(cent), r.after.quantize(cent)) for r in rows)

    by_payer = rounded(_Sums.rows(sums.payer))
    total = Change(
        "All payers",
        sum((r.before for r in by_payer), ZERO),
        sum((r.after for r in by_payer), ZERO),
    )
    return WhatIf(
        title=_title(scenario, payers),
        first=first,
        end=end,
        visits=visits,
        lines=lines,
        groups=groups,
        total=total,
        by_payer=by_payer,
        by_code=rounded(_Sums.rows(sums.code)),
        by_month=rounded(_Sums.rows(sums.month)),
        notes=tuple(notes),
    )


def _title(scenario: Scenario, payers: Mapping[int, tuple[str, str]]) -> str:
    def name(pid: int | None) -> str:
        return payers.get(pid or 0, (f"payer {pid}", ""))[0]

    if scenario.kind == "year":
        return (
            f"Medicare priced under the {scenario.from_year} fee schedule, then the "
            f"{scenario.to_year} one"
        )
    if scenario.kind == "rates":
        return f"{name(scenario.payer_id)} at its proposed rates ({len(scenario.rates)} codes)"
    percent = (scenario.share * 100).quantize(Decimal("1"))
    return f"{percent}% of {name(scenario.payer_id)}'s visits moved to {name(scenario.to_payer_id)}"
