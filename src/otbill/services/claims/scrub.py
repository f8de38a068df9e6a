"""Scrubbing as a use case: build the run's context from settings, then scrub claims.

The reference tables are versioned by date of service: each claim date is checked against the NCCI
and MUE release in force that day (the newest imported release effective on or before it, else the
curated tables shipped with otbill), never one table for the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from otbill.domain.claim import Claim
from otbill.payers import PayerProfile, load_profiles
from otbill.refdata.dated import DatedFees, DatedMue, DatedPtp
from otbill.rules.context import ScrubContext
from otbill.rules.engine import ClaimResult, fix_claim, remember_claim, scrub_claim
from otbill.rules.registry import Applicability, Finding, Rule, load_rules
from otbill.rules.selection import check_profile_severities
from otbill.settings import Settings

__all__ = [
    "BatchOutcome",
    "build_scrub_context",
    "fixes_allowed",
    "load_payer_profiles",
    "scrub_claims",
    "summarize",
]


def profile_dirs(settings: Settings, extra: list[Path] | None = None) -> list[Path]:
    """Where clinic profiles live: ``$OTBILL_DATA_DIR/payers`` then any directories given."""
    return [settings.data_dir / "payers", *(extra or [])]


def load_payer_profiles(
    settings: Settings, extra_dirs: list[Path] | None = None
) -> dict[str, PayerProfile]:
    """The packaged payer profiles, then the clinic's (``$OTBILL_DATA_DIR/payers``), then any
    directories given; a later profile of the same name wins. The one way profiles are loaded."""
    return load_profiles(profile_dirs(settings, extra_dirs))


def build_scrub_context(
    settings: Settings,
    today: dt.date,
    *,
    profiles: dict[str, PayerProfile] | None = None,
    extra_profile_dirs: list[Path] | None = None,
) -> ScrubContext:
    """The run's context; a payer profile's ``severity`` must name rules that exist."""
    refdata = [settings.refdata_dir]
    if profiles is None:
        profiles = load_payer_profiles(settings, extra_profile_dirs)
    check_profile_severities(profiles, load_rules(preview=True))
    return ScrubContext(
        profiles=profiles,
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


def fixes_allowed(*, unsafe: bool = False) -> frozenset[Applicability]:
    """The fixes ``--fix`` applies: the safe ones, and the unsafe ones too with ``--unsafe-fixes``
    (those that need a person's judgement or change a billed amount: units, charges)."""
    if unsafe:
        return frozenset({Applicability.SAFE, Applicability.UNSAFE})
    return frozenset({Applicability.SAFE})


def scrub_claims(
    claims: Sequence[Claim],
    run: ScrubContext,
    rules: Sequence[Rule],
    *,
    fix: bool = False,
    unsafe_fixes: bool = False,
) -> BatchOutcome:
    """Scrub a batch in order, each claim remembered for duplicate checks of the later ones;
    with ``fix``, safe fixes (and with ``unsafe_fixes`` the unsafe ones too) are applied first,
    on copies, and listed."""
    results: list[ClaimResult] = []
    scrubbed: list[Claim] = []
    changes: list[str] = []
    allowed = fixes_allowed(unsafe=unsafe_fixes)
    for claim in claims:
        if fix:
            claim, applied, result = fix_claim(claim, run, rules, allowed)
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
