"""ELG001 eligibility-not-verified."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "X12 270/271 eligibility inquiry (005010X279A1), service type AD; CARC 27, 31"


@rule(
    "ELG001",
    "eligibility-not-verified",
    "eligibility",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "check-too-old": Case(
            Severity.WARNING,
            "a check is on record but is older than the profile's eligibility_valid_days",
        )
    },
)
def eligibility_not_verified(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: Nobody checked the patient's coverage within the payer's window before the visit.
    What it checks: the claim records an eligibility check (``eligibility``: the latest 271 kept
    for the coverage, or a check made by phone or portal) — an error when there is none — and,
    when the payer profile sets its window (``eligibility_valid_days``), that the check was made
    no more than that many days before the first date of service (a warning when it is older). A check made after the date of service is fine: it confirms the coverage. A check
    showing inactive coverage is reported by ELG002 instead.
    Why payers deny it: a patient who is not covered on the date of service, or is covered by
    another plan, is denied (CARC 27, expenses incurred after coverage terminated; CARC 31,
    patient cannot be identified as our insured; CARC 109, not covered by this payer). Coverage
    changes month to month (Medicare Advantage enrolment, Medicaid redetermination), so an old
    check proves little.
    Example: no eligibility recorded; or eligibility verified on 2024-12-01 for a visit on
    2025-02-14 (75 days, the profile allows 30).
    Fix: run an eligibility inquiry (X12 270/271, service type AD occupational therapy) for
    the date of service and record the date and the result.
    Source: X12 270/271 (005010X279A1); payer profile ``eligibility_valid_days``; CARC 27, 31, 109.
    """
    elig = claim.eligibility
    if elig is None:
        yield eligibility_not_verified.finding(
            f"no eligibility check is recorded: coverage with {claim.payer.name} was never "
            "verified for "
            f"the visit on {wording.day(ctx.first_date)}",
            fix=Fix("run an eligibility check (270/271) for the date of service and record it"),
            source=ctx.profile.source("eligibility", _SOURCE),
        )
        return
    valid = ctx.profile.eligibility_valid_days
    if valid is None or not elig.active:
        return
    age = (ctx.first_date - elig.verified_on).days
    if age <= valid:
        return
    yield eligibility_not_verified.finding(
        f"no eligibility check within the {valid} days before the visit that payer profile "
        f"{ctx.profile.name} allows: coverage was last checked on "
        f"{wording.day(elig.verified_on)}, {age} days before the first date of service "
        f"{wording.day(ctx.first_date)}",
        case="check-too-old",
        fix=Fix("verify eligibility again for the date of service and record the new date"),
        source=ctx.profile.source("eligibility", _SOURCE),
    )
