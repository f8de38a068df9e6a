"""DGN003 diagnosis-not-billable."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.diagnosis._facts import release_note, verdict
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("DGN003", "diagnosis-not-billable", "diagnosis", Severity.ERROR, since="0.1.0")
def diagnosis_not_billable(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A diagnosis is a category heading, not a code that can be billed; a more specific
    code is needed.
    What it checks: no diagnosis is an ICD-10-CM header (category or subcategory) code, i.e. a
    code that has more specific codes below it.
    Why payers deny it: ICD-10-CM requires coding to the highest specificity; a header code is
    not a valid code for a claim and is denied (CARC 16 or 146, RARC M76).
    Example: M62.8 ("other specified disorders of muscle", a subcategory) where M62.81 (muscle
    weakness, generalized) is billable.
    Fix: bill the most specific code below the header that the plan of care supports; otbill
    names one as an example, not as a choice.
    Source: ICD-10-CM Official Guidelines for Coding and Reporting, section I.B.2, Level of Detail in Coding (report codes at their highest number of characters available); CDC/NCHS ICD-10-CM tabular list.
    """
    if not claim.diagnoses:
        return
    on = ctx.first_date
    for n, code in enumerate(claim.diagnoses, start=1):
        problem = verdict(code, on)
        if problem is None or not problem.header:
            continue
        example = f" (for example {problem.example})" if problem.example else ""
        yield diagnosis_not_billable.finding(
            f"diagnosis {n} ({code}) is a category heading with more specific codes below "
            f"it{example}; only the specific codes can be billed{release_note(problem, on)}",
            fix=Fix(
                f"replace diagnosis {n} ({code}) with the more specific code below it that the "
                f"plan of care supports{example}"
            ),
        )
