"""CHG002 total-charge-mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule


@rule("CHG002", "total-charge-mismatch", "charge", Severity.ERROR, since="0.1.0")
def total_charge_mismatch(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The claim's total charge is not the sum of its lines' charges.
    What it checks: when the claim states total_charge, it equals the sum of the line charges.
    Why payers deny it: the 837P requires CLM02 (total claim charge) to equal the sum of the
    SV102 line charges; a claim that does not balance is rejected by the clearinghouse or the
    payer's front end (999/277CA rejection).
    Example: lines of 90.00 and 45.00 with total_charge 125.00 (the lines sum to 135.00).
    Fix: find which is wrong — a line charge or the total — and correct it; setting the total
    to the lines' sum is offered, but only a person knows which figure is right.
    Source: ASC X12 005010X222A1 837P, loop 2300 CLM02 (total claim charge amount must equal the sum of all SV102 amounts); CMS-1500 item 28.
    """
    if claim.total_charge is None:
        return
    total = sum((line.charge for line in claim.lines), start=Decimal(0))
    if total == claim.total_charge:
        return
    yield total_charge_mismatch.finding(
        f"the claim's total charge ${claim.total_charge} is not the sum of its line charges "
        f"${total} (off by ${claim.total_charge - total})",
        fix=Fix(
            f"set the total charge to ${total} if the line charges are right; otherwise "
            "correct the line charges",
            (Edit("total_charge", total),),
            Applicability.UNSAFE,
        ),
    )
