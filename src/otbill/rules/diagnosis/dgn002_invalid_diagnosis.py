"""DGN002 invalid-diagnosis."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.diagnosis._facts import release_note, verdict
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("DGN002", "invalid-diagnosis", "diagnosis", Severity.ERROR, since="0.1.0")
def invalid_diagnosis(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A diagnosis is not a valid ICD-10-CM code for the date of service.
    What it checks: every diagnosis is shaped like an ICD-10-CM code and is a code of the
    ICD-10-CM release (for dates of service from 2015-10-01, when ICD-10-CM began). Header
    codes are reported by DGN003.
    Why payers deny it: a diagnosis that is not an ICD-10-CM code is rejected at the
    clearinghouse or denied (CARC 16 or 146, RARC M76 invalid diagnosis).
    Example: "M62.91" (no such code), "M6281X" or "62.81" (malformed), or any ICD-10-CM code on
    a 2015-06-01 claim (ICD-9-CM then).
    Fix: correct the code from the plan of care; otbill never guesses a diagnosis.
    Source: HIPAA code sets, 45 CFR 162.1002(c)(2) (ICD-10-CM from 2015-10-01); CDC/NCHS ICD-10-CM code list (release named in otbill.codes.icd10cm.RELEASE).
    """
    if not claim.diagnoses:
        return
    on = ctx.first_date
    for n, code in enumerate(claim.diagnoses, start=1):
        problem = verdict(code, on)
        if problem is None or problem.header:
            continue
        yield invalid_diagnosis.finding(
            f"diagnosis {n} ({code}): {problem.reason}{release_note(problem, on)}",
            fix=Fix(f"correct diagnosis {n} ({code}) from the plan of care"),
        )
