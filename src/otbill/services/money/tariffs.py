"""What a payer is expected to allow for a line: the Medicare PFS for Medicare payers, the
clinic's contracted rates (its fee schedule, per payer or the clinic default) for the others.

Medicare: :func:`otbill.domain.pricing.price_day` with the RVUs in force on the date of service
(an imported CMS PPRRVU release, else the OT subset otbill ships for 2025 and 2026), the
locality's GPCIs when the clinic names one and a GPCI file is imported (national otherwise), and
the conversion factor of that day (``codes/data/conversion_factors.csv``). A payer is Medicare when
its profile's name starts with "medicare" (as the payer simulator decides too).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.domain.charges import Fee
from otbill.domain.money import from_cents, to_cents
from otbill.domain.pricing import NATIONAL, DayLine, Gpcis, PricedLine, Rvus, price_day
from otbill.refdata.fee_schedule import RvuRow, conversion_factor
from otbill.refdata.store import load_gpci, load_rvu

__all__ = [
    "FACILITY_PLACES",
    "ContractRates",
    "PfsTables",
    "Tariff",
    "is_assistant_line",
    "is_medicare",
]

# Places of service paid at the facility rate (CMS place-of-service codes; an office, 11, the
# patient's home, 12, and telehealth, 02/10, get the non-facility rate).
FACILITY_PLACES = frozenset(
    {"19", "21", "22", "23", "24", "26", "31", "34", "51", "52", "56", "61"}
)
_PAYABLE = frozenset({"A", "R", "T"})  # PPRRVU status codes paid under the PFS


def is_medicare(profile: str) -> bool:
    return profile.lower().startswith("medicare")


def is_assistant_line(modifiers: str, furnished_by_assistant: bool) -> bool:
    """CQ (PT assistant) or CO (OT assistant) on the line, or recorded as an assistant's."""
    # modifiers are two characters joined by commas, so a substring is a whole modifier
    return furnished_by_assistant or "CQ" in modifiers or "CO" in modifiers


@dataclass(frozen=True, slots=True)
class Tariff:
    """One day's Medicare tables: RVUs (non-facility and facility PE), GPCIs and CF."""

    year: int
    cf: Decimal
    office: Mapping[str, Rvus]
    facility: Mapping[str, Rvus]
    gpcis: Gpcis
    label: str  # e.g. "PFS 2025: RVUs from 2025, CF 32.3465, national GPCIs"
    _amounts: tuple[dict[str, tuple[Decimal, Decimal]], dict[str, tuple[Decimal, Decimal]]] = field(
        default_factory=lambda: ({}, {}), compare=False, repr=False
    )

    def price(self, lines: Sequence[DayLine], *, facility: bool) -> tuple[PricedLine | None, ...]:
        rates = self.facility if facility else self.office
        cache = self._amounts[1 if facility else 0]
        return price_day(lines, rates, self.cf, self.gpcis, cache=cache)


def _rates(rows: Iterable[RvuRow]) -> tuple[dict[str, Rvus], dict[str, Rvus]]:
    office: dict[str, Rvus] = {}
    facility: dict[str, Rvus] = {}
    for row in rows:
        if row.modifier or row.status not in _PAYABLE:
            continue
        mppr = row.mult_proc == "5"
        office[row.hcpcs] = Rvus(row.work, row.pe_nonfacility, row.mp, mppr)
        facility[row.hcpcs] = Rvus(row.work, row.pe_facility, row.mp, mppr)
    return office, facility


class PfsTables:
    """Medicare tables by date of service, loaded once per release and factor."""

    def __init__(self, dirs: list[Path], locality: str | None = None) -> None:
        self.dirs = dirs
        self.locality = locality
        self._by_day: dict[dt.date, Tariff | None] = {}
        self._by_key: dict[tuple[int, Decimal, int], Tariff] = {}

    def on(
        self, day: dt.date, *, cf: Decimal | None = None, rvu_day: dt.date | None = None
    ) -> Tariff | None:
        """The tables for ``day``; ``cf`` and ``rvu_day`` replace the factor and the RVU
        release's date (what-if: another year's factor or RVUs)."""
        if cf is None and rvu_day is None and day in self._by_day:
            return self._by_day[day]
        factor = cf if cf is not None else conversion_factor(day)
        rows = load_rvu(rvu_day or day, self.dirs)
        tariff = None
        if factor is not None and rows is not None:
            key = (id(rows), factor, (rvu_day or day).year)
            tariff = self._by_key.get(key)
            if tariff is None:
                office, facility = _rates(rows)
                gpcis, where = self._gpcis(rvu_day or day)
                year = (rvu_day or day).year
                label = f"PFS: RVUs in force {year}, CF {factor}, {where}"
                tariff = self._by_key[key] = Tariff(year, factor, office, facility, gpcis, label)
        if cf is None and rvu_day is None:
            self._by_day[day] = tariff
        return tariff

    def _gpcis(self, day: dt.date) -> tuple[Gpcis, str]:
        if self.locality:
            for g in load_gpci(day, self.dirs) or ():
                if g.key == self.locality:
                    return Gpcis(g.work, g.pe, g.mp), f"GPCIs of locality {g.key} ({g.name})"
        return NATIONAL, "national GPCIs (1.0)"


class ContractRates:
    """The clinic's fee schedule: allowed per unit by payer (or clinic default), code, date."""

    def __init__(self, fees: Iterable[Fee]) -> None:
        self._rows: defaultdict[tuple[int | None, str], list[Fee]] = defaultdict(list)
        for fee in sorted(fees, key=lambda f: f.effective_from):
            self._rows[(fee.payer_id, fee.code)].append(fee)
        self._memo: dict[tuple[int, str, dt.date], Decimal | None] = {}

    def per_unit(self, payer_id: int, code: str, on: dt.date) -> Decimal | None:
        """The payer's own rate in force on ``on``, else the clinic default's, else None."""
        memo = (payer_id, code, on)
        if memo in self._memo:
            return self._memo[memo]
        found = None
        for key in ((payer_id, code), (None, code)):
            rows = [f for f in self._rows.get(key, ()) if f.effective_from <= on]
            if rows:
                found = from_cents(rows[-1].allowed_cents)
                break
        self._memo[memo] = found
        return found

    def with_rates(self, payer_id: int, rates: Mapping[str, Decimal]) -> ContractRates:
        """A copy where ``payer_id``'s rates for these codes replace its own on every date."""
        fees = [
            f
            for rows in self._rows.values()
            for f in rows
            if not (f.payer_id == payer_id and f.code in rates)
        ]
        fees += [
            Fee(payer_id, code, dt.date.min, 0, to_cents(amount)) for code, amount in rates.items()
        ]
        return ContractRates(fees)
