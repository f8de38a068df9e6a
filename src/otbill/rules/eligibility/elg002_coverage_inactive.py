"""ELG002 coverage-inactive."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("ELG002", "coverage-inactive", "eligibility", Severity.ERROR, since="0.1.0")
def coverage_inactive(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The last coverage check found the patient's coverage inactive.
    What it checks: the recorded eligibility check found the coverage active
    (``eligibility.active``).
    Why payers deny it: the payer denies services for a member whose coverage was not active
    (CARC 27, expenses incurred after coverage terminated; CARC 31 or 109 when the patient is
    not, or no longer, its member).
    Example: eligibility verified on 2025-02-01 with ``active: false`` and a visit on
    2025-02-14 billed to that payer.
    Fix: find the patient's current coverage (another plan, Medicare Advantage instead of
    Medicare, Medicaid) and bill that payer; if there is none, bill the patient. If the check
    was wrong, verify again and record the new result.
    Source: X12 271 eligibility response (005010X279A1, EB01 eligibility status); CARC 27, 31, 109.
    """
    elig = claim.eligibility
    if elig is None or elig.active:
        return
    yield coverage_inactive.finding(
        f"the eligibility check on {wording.day(elig.verified_on)} found "
        f"{claim.payer.name} coverage inactive for the visit on {wording.day(ctx.first_date)}",
        fix=Fix("bill the patient's active coverage, or verify eligibility again"),
    )
