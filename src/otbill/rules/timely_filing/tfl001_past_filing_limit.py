"""TFL001 past-filing-limit."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.timely_filing._facts import filing_deadline

_SOURCE = "payer timely-filing limit (payer profile); CARC 29"


@rule("TFL001", "past-filing-limit", "timely-filing", Severity.ERROR, since="0.1.0")
def past_filing_limit(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The deadline for sending this claim to the payer has passed.
    What it checks: today is not later than the filing deadline of any line's date of service:
    the date of service plus the payer profile's ``timely_filing_days``. A 365-day limit is read
    as 12 months (one calendar year): a service on 2024-01-10 may be filed through 2025-01-10,
    and one on 29 February through 28 February of the next year. Voids (frequency 8) are not
    checked.
    Why payers deny it: claims received after the payer's limit are denied (CARC 29, the time
    limit for filing has expired); for Medicare the denial cannot be appealed and the patient
    may not be billed, except for the narrow exceptions (administrative error, retroactive
    entitlement, retroactive Medicare Advantage disenrollment, Medicaid recoupment).
    Example: a Medicare line dated 2024-01-10 on a claim sent 2025-02-20; the deadline was
    2025-01-10.
    Fix: if an exception applies, send the claim with the documents that prove it; otherwise
    the service is written off (contractual, not billable to the patient).
    Source: 42 CFR 424.44 (Medicare: 12 months from the date of service); First Coast MAC timely-filing page (29 February rule, exceptions); payer profile ``timely_filing_days``; CARC 29.
    """
    if claim.frequency_code == "8":
        return
    days = ctx.profile.timely_filing_days
    today = ctx.today
    if today <= filing_deadline(ctx.first_date, days):  # later dates have later deadlines
        return
    for i, line in enumerate(claim.lines):
        deadline = filing_deadline(line.date, days)
        if today <= deadline:
            continue
        yield past_filing_limit.finding(
            f"{wording.line(claim, i)} was due for filing by "
            f"{wording.day(deadline)} ({days}-day limit of payer profile {ctx.profile.name}); "
            f"today is {wording.day(today)}, {(today - deadline).days} days late",
            line=i,
            fix=Fix(
                "send it with proof if a timely-filing exception applies; otherwise write the "
                "line off (do not bill the patient)"
            ),
            source=ctx.profile.source("timely_filing", _SOURCE),
        )
