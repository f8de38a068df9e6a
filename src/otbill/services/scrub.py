"""Scrubbing as a use case: build the run's context from settings, then scrub claims.

The reference tables are versioned by date of service: each claim date is checked against the NCCI
and MUE release in force that day (the newest imported release effective on or before it, else the
curated tables shipped with otbill), never one table for the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from otbill.domain.claim import Claim
from otbill.payers import PayerProfile, load_profiles
from otbill.refdata.fee_schedule import FeeSchedule
from otbill.refdata.mue import MueLimit, MueTable
from otbill.refdata.ncci import PtpEdit, PtpTable
from otbill.refdata.store import load_fee_schedule, load_mue, load_ncci_ptp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import ClaimResult, fix_claim, remember_claim, scrub_claim
from otbill.rules.registry import Finding, Rule
from otbill.settings import Settings

__all__ = [
    "BatchOutcome",
    "DatedFees",
    "DatedMue",
    "DatedPtp",
    "build_scrub_context",
    "scrub_claims",
    "summarize",
]


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


def profile_dirs(settings: Settings, extra: list[Path] | None = None) -> list[Path]:
    """Where clinic profiles live: ``$OTBILL_DATA_DIR/payers`` then any directories given."""
    return [settings.data_dir / "payers", *(extra or [])]


def build_scrub_context(
    settings: Settings,
    today: dt.date,
    *,
    profiles: dict[str, PayerProfile] | None = None,
    extra_profile_dirs: list[Path] | None = None,
) -> ScrubContext:
    refdata = [settings.refdata_dir]
    return ScrubContext(
        profiles=profiles
        if profiles is not None
        else load_profiles(profile_dirs(settings, extra_profile_dirs)),
        today=today,
        ncci=DatedPtp(refdata),
        mue=DatedMue(refdata),
        fee_schedule=DatedFees(refdata),
    )


@dataclass(frozen=True)
class BatchOutcome:
    results: list[ClaimResult]
    claims: list[Claim]  # as scrubbed: fixed copies when fixes were applied
    changes: list[str]  # "CLM-1: add GO to line 1 (MOD001)", one per applied fix


def _change_lines(claim_id: str, applied: Sequence[Finding]) -> list[str]:
    return [f"{claim_id}: {f.fix.description if f.fix else f.rule} ({f.rule})" for f in applied]


def scrub_claims(
    claims: Sequence[Claim], run: ScrubContext, rules: Sequence[Rule], *, fix: bool = False
) -> BatchOutcome:
    """Scrub a batch in order, each claim remembered for duplicate checks of the later ones;
    with ``fix``, safe fixes are applied first (on copies) and listed."""
    results: list[ClaimResult] = []
    scrubbed: list[Claim] = []
    changes: list[str] = []
    for claim in claims:
        if fix:
            claim, applied, result = fix_claim(claim, run, rules)
            changes += _change_lines(claim.claim_id, applied)
        else:
            result = scrub_claim(claim, run, rules)
        remember_claim(claim, run)
        results.append(result)
        scrubbed.append(claim)
    return BatchOutcome(results, scrubbed, changes)


def summarize(results: Sequence[ClaimResult], invalid: int = 0) -> dict[str, object]:
    """The summary block of ``otbill scrub --format json`` and ``POST /api/scrub``."""
    statuses = Counter(r.status for r in results)
    findings = [f for r in results for f in r.findings]
    return {
        "claims": len(results) + invalid,
        "clean": statuses["clean"],
        "review": statuses["review"],
        "held": statuses["held"],
        "invalid": invalid,
        "findings": len(findings),
        "by_severity": dict(Counter(f.severity.value for f in findings)),
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }
