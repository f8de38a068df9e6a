"""The scrub engine: run the selected rules over each claim and decide its status.

A claim is ``held`` when any finding is an error, ``review`` when any is a warning, else ``clean``.
A finding's severity is its rule's (see :mod:`otbill.rules.registry`); the payer profile may
override it for every finding of a rule (``severity: {AUT002: warning}``), and the engine applies
that override here. A rule that raises is a bug, not a data problem: the engine reports it as an
error finding on that claim (so the claim is held, never silently passed, whatever the profile
says) and goes on with the batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from otbill.domain.claim import Claim
from otbill.payers.profile import PayerProfile
from otbill.rules.context import ClaimContext, ScrubContext
from otbill.rules.fixes import apply_fixes
from otbill.rules.registry import Applicability, Finding, Rule, Severity
from otbill.rules.selection import is_selected

__all__ = ["ClaimResult", "fix_claim", "remember_claim", "scrub_batch", "scrub_claim", "status_of"]

_MAX_FIX_PASSES = 5
# An 837P carries no note, eligibility check, plan of care, visit counts, year-to-date amounts or
# minutes: on claims read from X12 these checks could only report the absence of what the format
# cannot hold, so they are not run, and one info finding says so.
_NEEDS_RECORDS_CATEGORIES = frozenset(
    {"documentation", "plan-of-care", "progress-report", "eligibility", "threshold"}
)
_NEEDS_RECORDS_RULES = frozenset({"UNT003", "UNT004", "AUT003", "AUT004", "CMP002", "CMP003"})


def _needs_records(rule: Rule) -> bool:
    return rule.category in _NEEDS_RECORDS_CATEGORIES or rule.code in _NEEDS_RECORDS_RULES


def _edi_notice() -> Finding:
    return Finding(
        rule="COD000",
        name="claim-read-from-x12",
        category="code",
        severity=Severity.INFO,
        line=None,
        message="claim read from an 837P: checks that need the clinic's records (note, eligibility, "
        "plan of care, progress reports, KX threshold, minutes, billing history) were not run",
        fix=None,
        source="X12 005010X222A1 837P (the claim format carries none of those facts)",
    )


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claim_id: str
    status: str  # clean | held | review
    findings: tuple[Finding, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "claim_id": self.claim_id,
            "status": self.status,
            "findings": [f.as_json() for f in self.findings],
        }


def status_of(findings: Iterable[Finding]) -> str:
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return "held"
    return "review" if Severity.WARNING in severities else "clean"


def _profile_finding(claim: Claim) -> Finding:
    return Finding(
        rule="COD000",
        name="unknown-payer-profile",
        category="code",
        severity=Severity.ERROR,
        line=None,
        message=f"the claim's payer profile {claim.payer.profile!r} does not exist: the claim "
        "cannot be checked against its payer's rules",
        fix=None,
        source="otbill payer profiles (payers/*.yaml and the clinic's own)",
    )


def _crash_finding(rule: Rule, exc: Exception) -> Finding:
    message = (
        f"internal error in rule {rule.code} ({type(exc).__name__}); the claim is held until "
        "it can be checked — please report this"
    )
    return dataclasses.replace(rule.finding(message), severity=Severity.ERROR)


def _checked(rule: Rule, claim: Claim, ctx: ClaimContext, profile: PayerProfile) -> list[Finding]:
    """The rule's findings, at the severity the payer profile sets for the rule, if it sets one."""
    try:
        findings = list(rule.check(claim, ctx))
    except Exception as exc:  # a rule bug must hold the claim, not stop the batch
        return [_crash_finding(rule, exc)]
    override = profile.severity.get(rule.code)
    if override is None:
        return findings
    return [dataclasses.replace(f, severity=Severity(override)) for f in findings]


def scrub_claim(claim: Claim, run: ScrubContext, rules: Sequence[Rule]) -> ClaimResult:
    """Findings for one claim. Does not record it in the batch index (see :func:`scrub_batch`)."""
    profile = run.profile_for(claim.payer.profile, claim.payer.payer_id)
    if profile is None:
        return ClaimResult(claim.claim_id, "held", (_profile_finding(claim),))
    ctx = ClaimContext(claim, run, profile)
    ignored = profile.ignore
    from_x12 = claim.source == "x12"
    findings: list[Finding] = [_edi_notice()] if from_x12 else []
    for rule in rules:
        if ignored and not is_selected(rule.code, (), ignored):
            continue
        if from_x12 and _needs_records(rule):
            continue
        findings.extend(_checked(rule, claim, ctx, profile))
    findings.sort(key=lambda f: (f.line or 0, f.rule))
    return ClaimResult(claim.claim_id, status_of(findings), tuple(findings))


def remember_claim(claim: Claim, run: ScrubContext) -> None:
    """Record the claim's services in the batch index, for duplicate checks of later claims."""
    profile = run.profile_for(claim.payer.profile, claim.payer.payer_id)
    if profile is None:
        return
    ctx = ClaimContext(claim, run, profile)
    for line in claim.lines:
        run.batch.add(ctx.service_key(line), claim.claim_id)


def scrub_batch(
    claims: Iterable[Claim], run: ScrubContext, rules: Sequence[Rule]
) -> Iterator[ClaimResult]:
    """Scrub claims one at a time (streaming), remembering each for duplicate checks."""
    for claim in claims:
        result = scrub_claim(claim, run, rules)
        remember_claim(claim, run)
        yield result


def fix_claim(
    claim: Claim,
    run: ScrubContext,
    rules: Sequence[Rule],
    allowed: frozenset[Applicability] = frozenset({Applicability.SAFE}),
) -> tuple[Claim, list[Finding], ClaimResult]:
    """Apply allowed fixes, re-scrubbing between passes, until none applies.

    Returns the fixed claim, the findings whose fixes were applied (in order), and the final result.
    """
    applied: list[Finding] = []
    result = scrub_claim(claim, run, rules)
    for _ in range(_MAX_FIX_PASSES):
        claim, done = apply_fixes(claim, result.findings, allowed)
        if not done:
            break
        applied.extend(done)
        result = scrub_claim(claim, run, rules)
    return claim, applied, result
