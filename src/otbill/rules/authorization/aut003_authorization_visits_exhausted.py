"""AUT003 authorization-visits-exhausted."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.authorization._facts import authorization_needed
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule

_SOURCE = "payer prior-authorization policy in the payer profile; CARC 198"
# Visits left after this claim at or below which the clinic is told to ask for more in time.
_LOW = 1


@rule(
    "AUT003",
    "authorization-visits-exhausted",
    "authorization",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "few-visits-left": Case(
            Severity.INFO,
            "the claim stays within the limit but leaves at most one authorized visit",
        ),
        "not-required": Case(
            Severity.INFO, "the payer profile does not require an authorization for this visit"
        ),
    },
)
def authorization_visits_exhausted(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: This visit goes past the number of visits the authorization allows.
    What it checks: when the authorization limits visits (``visits_authorized``), the visits
    already used (``visits_used``, counted before this claim) plus this claim's visits (one per
    distinct date of service) do not exceed it. Each date beyond the limit is an error (only
    info when the payer does not require the authorization for this visit). When the claim
    stays within the limit but leaves at most one authorized visit, an info finding reminds
    the clinic to request more before the next visit; the claim itself is fine. Void claims
    (frequency 8) are skipped.
    Why payers deny it: visits past the authorized number are unauthorized (CARC 198,
    precertification/authorization exceeded), and most plans do not authorize retroactively.
    Example: 12 visits authorized, 12 used, and this claim's visit on 2025-02-14 is the 13th.
    Fix: ask the payer for more visits (a new or extended authorization) and enter it before
    billing the visit.
    Source: payer profile ``prior_authorization``; X12 837P 2300 REF*G1; CARC 198.
    """
    auth = claim.prior_authorization
    if auth is None or auth.visits_authorized is None or claim.frequency_code == "8":
        return
    dates = ctx.lines_by_date
    limit = auth.visits_authorized
    total = auth.visits_used + len(dates)
    left = limit - total
    if left > _LOW:
        return
    required = authorization_needed(claim, ctx)
    source = ctx.profile.source("prior_authorization", _SOURCE)
    if left >= 0:
        if required:
            yield authorization_visits_exhausted.finding(
                f"authorization {auth.number}: this claim brings the visits used to {total} "
                f"of the {limit} authorized; {left} left after it — request more visits now",
                case="few-visits-left",
                fix=Fix(f"ask the payer to extend authorization {auth.number}"),
                source=source,
            )
        return
    for k, date in enumerate(sorted(dates), start=1):
        visit = auth.visits_used + k
        if visit <= limit:
            continue
        i = dates[date][0]
        yield authorization_visits_exhausted.finding(
            f"the visit on {wording.day(date)} is visit {visit} under authorization "
            f"{auth.number}, which allows {limit} ({auth.visits_used} used before this claim)",
            line=i,
            case=None if required else "not-required",
            fix=Fix(f"get more visits authorized under {auth.number} (or a new authorization)"),
            source=source,
        )
