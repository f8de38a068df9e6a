"""THR003 over-medical-review-threshold."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.threshold._running import money, running


@rule("THR003", "over-medical-review-threshold", "threshold", Severity.INFO, since="0.1.0")
def over_medical_review_threshold(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The patient passes the amount above which Medicare may review the claims.
    What it checks: this claim takes the year-to-date allowed amount over the payer's targeted
    medical review threshold (Medicare: $3,000 per year for OT, CY2018 through CY2028): the
    amount before the claim is at or below it and the amount with the claim is above it.
    Why payers deny it: above $3,000 Medicare may select the patient's claims for targeted
    medical review; claims whose notes do not support medical necessity are then denied.
    Example: ytd $2,950.00 and a claim worth $104.00 in allowed amounts.
    Fix: nothing to change on the claim; make sure the plan of care, progress reports and
    notes are complete and signed before it is sent.
    Source: Bipartisan Budget Act of 2018 §50202 (targeted medical review threshold $3,000 through CY2028); CMS MLN Matters MM11055 (2019); Pub 100-04, ch. 5, §10.3.4 (manual review threshold).
    """
    limit = ctx.profile.medical_review_threshold
    if limit is None or claim.ytd_therapy_allowed > limit:
        return
    run = running(claim, ctx)
    if run.total <= limit:
        return
    estimated = " (estimated from line charges)" if run.from_charges else ""
    yield over_medical_review_threshold.finding(
        f"year-to-date {claim.discipline} allowed {money(run.ytd)} plus this claim "
        f"({money(run.total - run.ytd)}{estimated}) make {money(run.total)}, over the "
        f"{money(limit)} medical review threshold: the claim may be selected for targeted "
        "medical review, so its documentation must be complete",
        fix=Fix("check that the plan of care, progress reports and notes are complete and signed"),
        source=ctx.profile.source("medical_review", "Pub 100-04, ch. 5, §10.3"),
    )
