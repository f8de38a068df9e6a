"""DGN006 duplicate-diagnosis."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import icd10cm
from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule


@rule("DGN006", "duplicate-diagnosis", "diagnosis", Severity.WARNING, since="0.1.0")
def duplicate_diagnosis(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The same diagnosis is listed twice.
    What it checks: no diagnosis is listed twice (compared without dots, spaces or case:
    "M62.81" and "m6281" are the same code).
    Why payers deny it: a repeated HI code wastes one of the 12 positions and some payers and
    clearinghouses reject duplicate diagnosis codes on a claim; lines pointing to the second
    copy look as if they treated another condition.
    Example: diagnoses ["M62.81", "R26.89", "M62.81"].
    Fix: remove the repeat and point the lines that used it to the first copy (renumbering the
    pointers, so a person does it).
    Source: ASC X12 005010X222A1 837P, loop 2300 HI (each diagnosis once; pointers in SV107 refer to HI positions); CMS-1500 item 21.
    """
    if len(claim.diagnoses) < 2:
        return
    seen: dict[str, int] = {}
    for n, code in enumerate(claim.diagnoses, start=1):
        key = icd10cm.compact(code)
        first = seen.setdefault(key, n)
        if first != n:
            yield duplicate_diagnosis.finding(
                f"diagnosis {n} ({code}) repeats diagnosis {first} ({claim.diagnoses[first - 1]})",
                fix=Fix(
                    f"remove diagnosis {n} and point lines that use pointer {n} to {first} "
                    "(later pointers shift down by one)"
                ),
            )
