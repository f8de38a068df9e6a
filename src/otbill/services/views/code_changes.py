"""The year's code changes for this clinic: what changed from year N-1 to N in the code set and
the fee schedule (``domain.code_changes``), each change with the clinic's visits of N-1 it
touches, counted and listed. A read.

Tables compared: those in force on 31 December of N-1 and on 1 January of N, from the dated
reference tables (``refdata.store``: an imported CMS release, else the curated OT tables in
``codes/data``), the therapy catalog and the Medicare payer profile's KX thresholds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from otbill.codes import cpt
from otbill.domain.code_changes import (
    Change,
    PairKey,
    Price,
    compare_codes,
    compare_kx,
    compare_mue,
    compare_pairs,
    compare_prices,
    compare_telehealth,
    over_limit,
    price,
    touching,
)
from otbill.errors import OtbillError
from otbill.payers.profile import PayerProfile, load_profiles
from otbill.refdata.dated import DatedMue, DatedPtp
from otbill.refdata.fee_schedule import conversion_factor
from otbill.refdata.store import load_rvu
from otbill.storage import UnitOfWork

__all__ = ["BadYear", "CodeChanges", "TouchedChange", "code_changes", "code_changes_csv"]

_FIRST_YEAR, _LAST_YEAR = 2000, 2100


class BadYear(OtbillError):
    """A year that is not written like 2026."""


@dataclass(frozen=True, slots=True)
class TouchedChange:
    change: Change
    visit_ids: tuple[int, ...]

    @property
    def visits(self) -> int:
        return len(self.visit_ids)


@dataclass(frozen=True, slots=True)
class CodeChanges:
    year: int
    before: dt.date
    after: dt.date
    changes: tuple[TouchedChange, ...]
    visits: int  # the clinic's visits in year - 1
    notes: tuple[str, ...]

    def of_kind(self, *kinds: str) -> list[TouchedChange]:
        return [c for c in self.changes if c.change.kind in kinds]

    @property
    def touched_visits(self) -> int:
        return len({v for c in self.changes for v in c.visit_ids})


def parse_year(text: str | int) -> int:
    value = str(text).strip()
    if not value.isdigit() or not _FIRST_YEAR <= int(value) <= _LAST_YEAR:
        raise BadYear(f"year {text!r} is not a year such as 2026")
    return int(value)


def _catalog_codes(on: dt.date) -> set[str]:
    return {info.code for info in cpt.all_codes() if cpt.is_valid(info.code, on)}


def _prices(on: dt.date, dirs: list[Path], codes: set[str]) -> dict[str, Price]:
    rows = load_rvu(on, dirs) or ()
    cf = conversion_factor(on)
    return {
        r.hcpcs: price(r.work + r.pe_nonfacility + r.mp, cf)
        for r in rows
        if r.hcpcs in codes and not r.modifier
    }


def _mue(on: dt.date, dirs: list[Path], codes: set[str]) -> dict[str, int]:
    table = DatedMue(dirs)
    out = {}
    for code in codes:
        limit = table.limit(code, on)
        if limit is not None:
            out[code] = limit.max_units
    return out


def _pairs(on: dt.date, dirs: list[Path], codes: set[str]) -> dict[PairKey, int]:
    table = DatedPtp(dirs).table(on)
    return {
        (e.column1, e.column2): e.modifier_indicator
        for e in table.edits
        if e.column1 in codes and e.column2 in codes and e.active_on(on)
    }


def _telehealth(on: dt.date, codes: set[str]) -> set[str]:
    return {c for c in codes if cpt.on_medicare_telehealth_list(c, on)}


def _kx(year: int, profiles: Mapping[str, PayerProfile]) -> Decimal | None:
    medicare = profiles.get("medicare")
    return None if medicare is None else medicare.kx_threshold(year)


def code_changes(
    uow: UnitOfWork,
    year: int | str,
    dirs: list[Path],
    *,
    profiles: Mapping[str, PayerProfile] | None = None,
) -> CodeChanges:
    """What changed going into ``year`` and which of the clinic's visits of ``year - 1`` each
    change touches. ``profiles``: the payer profiles (the Medicare one's KX thresholds);
    default, the packaged ones."""
    profiles = load_profiles() if profiles is None else profiles
    year = parse_year(year)
    before, after = dt.date(year - 1, 12, 31), dt.date(year, 1, 1)
    every = {info.code for info in cpt.all_codes()}
    codes_before, codes_after = _catalog_codes(before), _catalog_codes(after)
    notes = []
    prices_before, prices_after = _prices(before, dirs, every), _prices(after, dirs, every)
    missing = [y for y, p in ((year - 1, prices_before), (year, prices_after)) if not p]
    if missing:
        years = " and ".join(map(str, missing))
        notes.append(
            f"No Medicare RVU file covers {years}: import the CMS PPRRVU release for {years} "
            f"(otbill refdata import) to compare prices."
        )
    describe = {info.code: info.description for info in cpt.all_codes()}
    mue_after = _mue(after, dirs, every)
    changes = [
        *compare_codes(codes_before, codes_after, describe),
        *compare_prices(prices_before, prices_after),
        *compare_mue(_mue(before, dirs, every), mue_after),
        *compare_pairs(_pairs(before, dirs, every), _pairs(after, dirs, every)),
        *compare_kx(_kx(year - 1, profiles), _kx(year, profiles), year),
        *compare_telehealth(_telehealth(before, every), _telehealth(after, every)),
    ]
    visits = uow.coding_audit.visits_between(dt.date(year - 1, 1, 1), after)
    facts = [
        (
            v.visit_id,
            frozenset(li.code for li in v.lines),
            frozenset(m for li in v.lines for m in li.modifiers),
            v.telehealth,
        )
        for v in visits
    ]
    units: list[tuple[int, dict[str, int]]] = []
    for v in visits:
        by_code: dict[str, int] = {}
        for li in v.lines:
            by_code[li.code] = by_code.get(li.code, 0) + li.units
        units.append((v.visit_id, by_code))
    touched = []
    for c in changes:
        if c.kind == "mue":
            over = over_limit(c.codes[0], mue_after.get(c.codes[0]), units)
            if over:
                c = replace(c, detail=f"{c.detail}; {len(over)} visit(s) billed more than "
                                      f"the new limit: {', '.join(map(str, over[:20]))}")  # fmt: skip
        touched.append(TouchedChange(c, touching(c, facts)))
    if visits:
        first = min(v.date for v in visits)
        if first > dt.date(year - 1, 1, 1):
            notes.append(
                f"The clinic's visits of {year - 1} start on {first.isoformat()}: the counts "
                f"cover {first.isoformat()} to {before.isoformat()}."
            )
    return CodeChanges(year, before, after, tuple(touched), len(visits), tuple(notes))


def code_changes_csv(report: CodeChanges) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["change", "codes", f"in {report.year - 1}", f"in {report.year}", "detail",
                f"visits_{report.year - 1}", "visit_ids"])  # fmt: skip
    for t in report.changes:
        c = t.change
        codes = " + ".join(c.codes) if c.codes else f"modifier {c.modifier}"
        w.writerow([c.label, codes, c.before, c.after, c.detail, t.visits,
                    " ".join(map(str, t.visit_ids))])  # fmt: skip
    return out.getvalue()
