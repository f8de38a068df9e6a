"""CHG001 zero-or-negative-charge."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("CHG001", "zero-or-negative-charge", "charge", Severity.ERROR, since="0.1.0")
def zero_or_negative_charge(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A line is billed at no charge (or less): the payer would pay nothing for it.
    What it checks: every line's charge is above zero. A zero charge is accepted for a code
    Medicare bundles (PFS status B, e.g. 97010), which practices may list at no charge for the
    record.
    Why payers deny it: the 837P line charge (SV102) is the provider's usual fee; a zero or
    negative charge is rejected at the front end or priced at nothing, and a negative one is
    never valid (refunds go through an adjustment, not a claim line).
    Example: 97530 billed for 0.00, or -45.00.
    Fix: enter the practice's fee for the code × units from the fee schedule.
    Source: ASC X12 005010X222A1 837P, loop 2400 SV102 (line item charge amount, a positive monetary amount) and CLM02; CMS-1500 item 24F.
    """
    for i, line in enumerate(claim.lines):
        if line.charge > 0:
            continue
        if line.charge == 0:
            info = ctx.infos[i]
            if info is not None and info.medicare_status == "B":
                continue
        kind = "zero" if line.charge == 0 else "negative"
        yield zero_or_negative_charge.finding(
            f"{wording.line(claim, i)} is charged ${line.charge}, a {kind} charge: every "
            "billed line needs the practice's fee",
            line=i,
            fix=Fix(f"enter the fee for {line.code} × {line.units} unit(s) on line {i + 1}"),
        )
