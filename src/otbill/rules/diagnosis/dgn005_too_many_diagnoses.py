"""DGN005 too-many-diagnoses."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_MAX_DIAGNOSES = 12  # HI01 .. HI12


@rule("DGN005", "too-many-diagnoses", "diagnosis", Severity.ERROR, since="0.1.0")
def too_many_diagnoses(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The claim lists more than the 12 diagnoses a claim can carry.
    What it checks: the claim lists at most 12 diagnoses.
    Why payers deny it: the 837P HI segment holds 12 diagnosis codes (CMS-1500 item 21 A–L);
    the 13th cannot be sent, and a writer that drops it silently changes the claim.
    Example: a claim with 13 diagnoses.
    Fix: keep the diagnoses the lines point to and the plan of care treats (at most 12), or
    split the services into claims whose diagnoses fit.
    Source: ASC X12 005010X222A1 837P, loop 2300 HI (HI01–HI12); CMS-1500 item 21 (A–L).
    """
    if len(claim.diagnoses) <= _MAX_DIAGNOSES:
        return
    yield too_many_diagnoses.finding(
        f"the claim lists {len(claim.diagnoses)} diagnoses; a claim carries at most "
        f"{_MAX_DIAGNOSES} (the extra ones: {', '.join(claim.diagnoses[_MAX_DIAGNOSES:])})",
        fix=Fix(
            f"keep at most {_MAX_DIAGNOSES} diagnoses (those the lines point to), or split "
            "the claim"
        ),
    )
