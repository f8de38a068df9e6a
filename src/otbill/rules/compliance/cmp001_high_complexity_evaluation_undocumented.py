"""CMP001 high-complexity-evaluation-undocumented."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

# OT evaluation code for each complexity level, and its rank.
_LEVEL = {"97165": ("low", 1), "97166": ("moderate", 2), "97167": ("high", 3)}
_CODE = {"low": "97165", "moderate": "97166", "high": "97167"}
_RANK = {"low": 1, "moderate": 2, "high": 3}


@rule(
    "CMP001",
    "high-complexity-evaluation-undocumented",
    "compliance",
    Severity.WARNING,
    since="0.1.0",
)
def high_complexity_evaluation_undocumented(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The evaluation is billed at a higher complexity than its note documents.
    What it checks: an OT evaluation billed at a higher complexity than the visit's note
    documents (documentation.evaluation_complexity): 97167 (high) when the note does not say
    high (including when it records no complexity), or 97166 (moderate) when it says low.
    Claims without documentation are left to the documentation rules.
    Why payers deny it: the evaluation level rests on the documented occupational profile,
    performance deficits and clinical decision making; billing above it is upcoding, the
    pattern payers' and OIG's data analysis looks for, and on review the level is reduced or
    the payment recouped.
    Example: 97167 billed on 2025-02-14 with documentation.evaluation_complexity "moderate".
    Fix: bill the code that matches the documented complexity (97165 low, 97166 moderate, 97167
    high), or complete the note if it supports the higher level.
    Source: AMA CPT 2017 OT evaluation codes 97165–97167 (complexity levels; descriptors paraphrased); Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (documentation must support the services billed).
    """
    doc = claim.documentation
    if doc is None:
        return
    for i, line in enumerate(claim.lines):
        level = _LEVEL.get(cpt.compact(line.code))
        if level is None:
            continue
        billed, rank = level
        documented = doc.evaluation_complexity
        if documented is None:
            if billed != "high":
                continue
            message = "the note records no evaluation complexity"
            fix = Fix(
                f"record the complexity the evaluation supports, or bill line {i + 1} as "
                "97165 (low) or 97166 (moderate)"
            )
        elif _RANK[documented] < rank:
            message = f"the note documents {documented} complexity"
            fix = Fix(f"bill line {i + 1} as {_CODE[documented]} ({documented} complexity)")
        else:
            continue
        yield high_complexity_evaluation_undocumented.finding(
            f"{wording.line(claim, i)} bills a {billed}-complexity OT evaluation but {message}",
            line=i,
            fix=fix,
        )
