"""DGN007 external-cause-first-listed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

# ICD-10-CM chapter 20, External causes of morbidity: categories V00 to Y99.
_EXTERNAL_CAUSE = re.compile(r"^[VWXY]\d")


def is_external_cause(code: str) -> bool:
    """Whether an ICD-10-CM code is in chapter 20 (V00–Y99): how an injury happened, not what."""
    return bool(_EXTERNAL_CAUSE.match(code.strip().upper()))


@rule("DGN007", "external-cause-first-listed", "diagnosis", Severity.ERROR, since="0.1.0")
def external_cause_first_listed(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The first diagnosis says how an injury happened; the condition being treated must
    come first.
    What it checks: the first-listed diagnosis is not an external-cause code (ICD-10-CM chapter
    20, V00–Y99: how, where and by what an injury happened, such as W19 a fall). External-cause
    codes may follow the condition treated, never lead.
    Why payers deny it: an external-cause code says how the patient was hurt, not what is being
    treated; it can never be the principal or first-listed diagnosis, so a claim that leads
    with one has no valid principal diagnosis and is rejected or denied (CARC 16 or 167, RARC
    M76, missing or invalid diagnosis).
    Example: diagnoses W19.XXXD (unspecified fall, subsequent encounter) then S52.501D (the
    wrist fracture being treated): the fracture must come first.
    Fix: list the condition being treated first (the injury or its after-effect, such as the
    fracture or the weakness) and the external-cause code after it; line pointers follow the
    new order.
    Source: ICD-10-CM Official Guidelines for Coding and Reporting, section I.C.20 (external cause codes: never the principal or first-listed diagnosis; they are secondary codes added to the code of the injury or condition); ASC X12 837P 005010X222A1, loop 2300 HI01 (principal diagnosis, qualifier ABK).
    """
    if not claim.diagnoses or not is_external_cause(claim.diagnoses[0]):
        return
    first = claim.diagnoses[0]
    treated = [d for d in claim.diagnoses[1:] if not is_external_cause(d)]
    move = (
        f"list {treated[0]} first and {first} after it"
        if treated
        else f"add the diagnosis being treated before {first}"
    )
    yield external_cause_first_listed.finding(
        f"the first diagnosis {first} is an external-cause code (how the injury happened, "
        "V00–Y99), which may never be listed first: the claim must lead with the condition "
        "being treated",
        fix=Fix(f"{move}, then check each line's diagnosis pointers"),
    )
