"""Reference tables by date of service: the NCCI, MUE and fee-schedule release in force that day.

Each claim date is checked against the release in force that day (the newest imported release
effective on or before it, else the curated tables shipped with otbill), never one table for a
whole batch. Releases are loaded on first use and kept for the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.refdata.fee_schedule import FeeSchedule
from otbill.refdata.mue import MueLimit, MueTable
from otbill.refdata.ncci import PtpEdit, PtpTable
from otbill.refdata.store import load_fee_schedule, load_mue, load_ncci_ptp

__all__ = ["DatedFees", "DatedMue", "DatedPtp"]


@dataclass
class DatedPtp:
    """NCCI PTP edits, the release in force on each date of service."""

    dirs: list[Path]
    _tables: dict[dt.date, PtpTable] = field(default_factory=dict)

    def table(self, on: dt.date) -> PtpTable:
        table = self._tables.get(on)
        if table is None:
            table = self._tables[on] = load_ncci_ptp(on, self.dirs)
        return table

    def active_pairs_for(self, codes: set[str], on: dt.date) -> list[PtpEdit]:
        return self.table(on).active_pairs_for(codes, on)


@dataclass
class DatedMue:
    """MUE limits, the release in force on each date of service."""

    dirs: list[Path]
    _tables: dict[dt.date, MueTable] = field(default_factory=dict)

    def limit(self, code: str, on: dt.date) -> MueLimit | None:
        table = self._tables.get(on)
        if table is None:
            table = self._tables[on] = load_mue(on, self.dirs)
        return table.limit(code, on)


@dataclass
class DatedFees:
    """Medicare allowed amounts from imported RVU/GPCI files, by the year of the date of service."""

    dirs: list[Path]
    locality: str | None = None
    _by_year: dict[int, FeeSchedule | None] = field(default_factory=dict)
    _amounts: dict[tuple[int, str, str, bool], Decimal | None] = field(default_factory=dict)

    def allowed(
        self,
        code: str,
        *,
        on: dt.date,
        modifier: str = "",
        facility: bool = False,
    ) -> Decimal | None:
        key = (on.year, code, modifier, facility)
        if key in self._amounts:
            return self._amounts[key]
        if on.year not in self._by_year:
            self._by_year[on.year] = load_fee_schedule(on, self.dirs)
        schedule = self._by_year[on.year]
        amount = None
        if schedule is not None:
            amount = schedule.allowed(
                code, modifier=modifier, locality=self.locality, facility=facility
            )
        self._amounts[key] = amount
        return amount
