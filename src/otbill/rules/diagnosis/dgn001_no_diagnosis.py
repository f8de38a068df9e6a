"""DGN001 no-diagnosis."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("DGN001", "no-diagnosis", "diagnosis", Severity.ERROR, since="0.1.0")
def no_diagnosis(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The claim lists no diagnosis; every claim needs at least one.
    What it checks: the claim lists at least one ICD-10-CM diagnosis.
    Why payers deny it: the 837P requires the principal diagnosis (HI01, qualifier ABK) and every
    line must point to one (SV107); a claim without a diagnosis is rejected at the front end
    (CARC 16, RARC M76 missing diagnosis).
    Example: a claim for 97530 on 2025-02-14 with diagnoses [].
    Fix: enter the diagnoses from the plan of care (the treating diagnosis first).
    Source: ASC X12 005010X222A1 837P, loop 2300 HI (health care diagnosis code, HI01 required); CMS-1500 item 21.
    """
    if claim.diagnoses:
        return
    yield no_diagnosis.finding(
        "diagnoses is empty: a claim needs at least one ICD-10-CM diagnosis (837P HI01)",
        fix=Fix("add the diagnoses from the plan of care, the treating diagnosis first"),
    )
