"""DGN004 bad-diagnosis-pointer."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_MAX_POINTERS = 4  # SV107-1 .. SV107-4


@rule("DGN004", "bad-diagnosis-pointer", "diagnosis", Severity.ERROR, since="0.1.0")
def bad_diagnosis_pointer(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A line points to a diagnosis the claim does not list, or points to one twice.
    What it checks: each line's diagnosis pointers (dx_pointers) point to diagnoses the claim
    lists (1 to the number of diagnoses), none is repeated, there is at least one and at most
    four. Claims without diagnoses are left to DGN001.
    Why payers deny it: SV107 holds one to four pointers into the HI segment; a pointer to a
    diagnosis that is not there, or a repeated one, fails the 837P edits and the claim is
    rejected (CARC 16, RARC M76).
    Example: diagnoses ["M62.81", "R26.89"] and a line with dx_pointers [1, 3]; or [1, 1]; or
    [1, 2, 3, 4, 5].
    Fix: point each line to the diagnoses it treats, at most four, each once.
    Source: ASC X12 005010X222A1 837P, loop 2400 SV107 (composite diagnosis code pointer, SV107-1 required, up to four); CMS-1500 item 24E.
    """
    count = len(claim.diagnoses)
    if not count:
        return
    for i, line in enumerate(claim.lines):
        pointers = line.dx_pointers
        if (
            pointers
            and len(pointers) <= _MAX_POINTERS
            and max(pointers) <= count
            and len(set(pointers)) == len(pointers)
        ):
            continue
        problems = []
        if not pointers:
            problems.append("it points to no diagnosis (at least one is required)")
        beyond = sorted({p for p in pointers if p > count})
        if beyond:
            listed = wording.listed([str(p) for p in beyond])
            problems.append(f"it points to diagnosis {listed}, but the claim lists only {count}")
        repeated = sorted({p for p in pointers if pointers.count(p) > 1})
        if repeated:
            problems.append(
                f"it points to diagnosis {wording.listed([str(p) for p in repeated])} twice"
            )
        if len(pointers) > _MAX_POINTERS:
            problems.append(
                f"it points to {len(pointers)} diagnoses; a line can point to {_MAX_POINTERS} at most"
            )
        yield bad_diagnosis_pointer.finding(
            f"{wording.line(claim, i)}: " + "; ".join(problems),
            line=i,
            fix=Fix(
                f"point line {i + 1} to the diagnoses (1–{count}) it treats, each once, at most "
                f"{_MAX_POINTERS}"
            ),
        )
