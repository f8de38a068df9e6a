"""AUT002 service-outside-authorization."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.authorization._facts import authorization_needed
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "payer prior-authorization policy in the payer profile; CARC 198/284"


@rule(
    "AUT002",
    "service-outside-authorization",
    "authorization",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "not-required": Case(
            Severity.INFO, "the payer profile does not require an authorization for this visit"
        ),
    },
)
def service_outside_authorization(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A service is dated outside the dates the authorization covers.
    What it checks: every line's date of service lies within the claim's prior authorization
    (``prior_authorization.from`` to ``to``, both days included). It is an error when the
    payer requires the authorization for this visit; when the payer does not (Medicare, or a
    Medicaid evaluation visit) it is only info: the number is still sent in REF*G1, and a
    mismatch usually means the wrong authorization record was attached, but the payer will
    not deny for it. Void claims (frequency 8) are skipped.
    Why payers deny it: an authorization covers a date range; services outside it are treated
    as unauthorized (CARC 197/198) or the number is held not to apply to them (CARC 284).
    Example: authorization A123 from 2025-01-01 to 2025-03-31 and a line dated 2025-04-02.
    Fix: ask the payer to extend the authorization (or for the new one that covers the date)
    and enter it; never change the date of service.
    Source: payer profile ``prior_authorization``; X12 837P 2300 REF*G1; CARC 198, 284.
    """
    auth = claim.prior_authorization
    if auth is None or claim.frequency_code == "8":
        return
    if all(auth.from_ <= line.date <= auth.to for line in claim.lines):
        return
    required = authorization_needed(claim, ctx)
    why = (
        "the payer treats the service as unauthorized"
        if required
        else f"payer profile {ctx.profile.name} does not require an authorization for this "
        "visit, but the number on the claim does not cover it"
    )
    source = ctx.profile.source("prior_authorization", _SOURCE)
    for i, line in enumerate(claim.lines):
        if auth.from_ <= line.date <= auth.to:
            continue
        yield service_outside_authorization.finding(
            f"{wording.line(claim, i)} is outside the dates of authorization "
            f"{auth.number} ({wording.day(auth.from_)} to {wording.day(auth.to)}): {why}",
            line=i,
            case=None if required else "not-required",
            fix=Fix(
                f"get authorization {auth.number} extended to {wording.day(line.date)}, or "
                "enter the authorization that covers that date"
            ),
            source=source,
        )
