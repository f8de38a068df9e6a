"""TFL002 near-filing-limit."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.timely_filing._facts import filing_deadline

_SOURCE = "payer timely-filing limit (payer profile); CARC 29"


@rule("TFL002", "near-filing-limit", "timely-filing", Severity.WARNING, since="0.1.0")
def near_filing_limit(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The deadline for sending this claim is close: send it now.
    What it checks: a line whose filing deadline (see TFL001) has not passed but at least 80%
    of the filing period has: the claim must go out, and any rejection be corrected, in the
    days left. Voids (frequency 8) are not checked.
    Why payers deny it: a claim that is rejected or held for correction close to the limit
    often cannot be fixed and resent before it, and is then denied for timely filing (CARC 29).
    Example: a commercial in-network line dated 2024-12-01 (90-day limit) on 2025-02-20: 81
    days have passed, the deadline is 2025-03-01, 9 days left.
    Fix: correct any other findings first and send the claim today; keep the clearinghouse
    acceptance report (999/277CA) as proof of timely filing.
    Source: 42 CFR 424.44 (Medicare: 12 months from the date of service); payer profile ``timely_filing_days``; CARC 29.
    """
    if claim.frequency_code == "8":
        return
    days = ctx.profile.timely_filing_days
    today = ctx.today
    first = ctx.first_date
    if (today - first).days * 5 < (filing_deadline(first, days) - first).days * 4:
        return  # the earliest line has used the largest share of its period
    for i, line in enumerate(claim.lines):
        deadline = filing_deadline(line.date, days)
        span = (deadline - line.date).days
        elapsed = (today - line.date).days
        if today > deadline or elapsed * 5 < span * 4:
            continue
        left = (deadline - today).days
        yield near_filing_limit.finding(
            f"{wording.line(claim, i)} must be filed by "
            f"{wording.day(deadline)} ({days}-day limit of payer profile {ctx.profile.name}): "
            f"{left} days left",
            line=i,
            fix=Fix("send the claim now and keep the acceptance report as proof"),
            source=ctx.profile.source("timely_filing", _SOURCE),
        )
