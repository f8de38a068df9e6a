"""AUT001 authorization-missing."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.authorization._facts import authorization_needed, visit_dates
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_SOURCE = "payer prior-authorization policy in the payer profile; CARC 197"


@rule("AUT001", "authorization-missing", "authorization", Severity.ERROR, since="0.1.0")
def authorization_missing(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The payer needs a prior authorization for this visit and the claim has none, so it
    will be denied.
    What it checks: when the payer profile requires a prior authorization for this visit
    (``prior_authorization``: ``always``, or ``after_visits: N`` for visits after the first N),
    the claim carries one (``prior_authorization``, sent as REF*G1). Visit 1 is the evaluation;
    a claim without a visit number that bills only an initial evaluation is taken to be visit
    1. Medicare Part B outpatient therapy needs none, so the rule is silent there. Void claims
    (frequency 8) bill nothing and are skipped.
    Why payers deny it: services that need authorization are denied without one (CARC 197,
    precertification/authorization absent), and the denial usually cannot be fixed afterwards
    because most plans do not authorize retroactively.
    Example: a Medicaid treatment visit 3 (the plan requires authorization after the
    evaluation) with no authorization number; any commercial in-network visit without one.
    Fix: enter the authorization number the payer issued, with its dates and visit count; if
    none was obtained, ask the payer for a retroactive authorization before billing.
    Source: payer profile ``prior_authorization`` (e.g. typical state Medicaid therapy policy:
    authorization for treatment after the evaluation); X12 837P 2300 REF*G1; CARC 197.
    """
    if claim.prior_authorization is not None or claim.frequency_code == "8":
        return
    if not authorization_needed(claim, ctx):
        return
    visit = f"visit {claim.visit_number}" if claim.visit_number else "this visit"
    yield authorization_missing.finding(
        f"the claim has no prior authorization, and the payer (profile {ctx.profile.name}) "
        f"requires one for {visit} ({', '.join(visit_dates(ctx))})",
        fix=Fix("enter the payer's authorization number, dates and authorized visits"),
        source=ctx.profile.source("prior_authorization", _SOURCE),
    )
