"""TFL003 future-date-of-service."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("TFL003", "future-date-of-service", "timely-filing", Severity.ERROR, since="0.1.0")
def future_date_of_service(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A service is dated in the future; bill it only once it has been given.
    What it checks: no line is dated after today: a service is billed only once it has been
    furnished.
    Why payers deny it: a claim for a service not yet furnished is rejected at the front end
    (the service date is after the receipt date) and billing one is a false claim; it is
    usually a typing error in the date (year or month).
    Example: a line dated 2025-12-14 on a claim scrubbed on 2025-02-20 (the visit was on
    2025-02-14).
    Fix: correct the date from the visit's note; if the visit is still to come, bill it after
    it happens.
    Source: X12 837P 2400 DTP*472 (service date: the date the service was furnished); 31 U.S.C. 3729 (False Claims Act) for billing services not furnished.
    """
    today = ctx.today
    if ctx.last_date <= today:
        return
    for i, line in enumerate(claim.lines):
        if line.date > today:
            yield future_date_of_service.finding(
                f"{wording.line(claim, i)} is after today "
                f"({wording.day(today)}): a service is billed after it is furnished",
                line=i,
                fix=Fix("correct the date of service from the visit's note"),
            )
