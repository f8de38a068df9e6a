"""MUE001 mue-exceeded."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext, MueLimitLike
from otbill.rules.registry import Finding, Fix, Severity, rule

_MAI = {
    1: "MAI 1, a per-line edit: a line with more units is denied",
    2: "MAI 2, a per-day policy edit: absolute, it cannot be appealed",
    3: "MAI 3, a per-day clinical edit: the denial may be appealed with documentation that "
    "the units were medically necessary",
}


@rule("MUE001", "mue-exceeded", "mue", Severity.ERROR, since="0.1.0")
def mue_exceeded(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    What it checks: the units of a code against its Medically Unlikely Edit (MUE) for the date
    of service — per line for MUE adjudication indicator (MAI) 1, and summed over every line of
    the claim with that code and date for MAI 2 and 3. An MUE of 0 means any unit exceeds it.
    Why payers deny it: Medicare and payers that follow NCCI deny the line (for MAI 2 and 3,
    every line of the code that day) in full, not just the extra units (CARC 151, RARC N362). MAI 2 limits come from policy (one
    evaluation a day) and are absolute; MAI 3 limits come from clinical data and can be
    appealed with records.
    Example: 97530 × 7 units on 2025-02-14 (MUE 6, MAI 3); 97165 × 2 (MUE 1, MAI 2); 97112 × 3
    on one line and × 2 on another the same day (5 > 4).
    Fix: bill the units the note supports, at most the MUE; check the minutes (the units rules
    recompute units from minutes). For MAI 3, units truly above the MUE are billed and appealed
    with documentation.
    Source: CMS Medicare NCCI Medically Unlikely Edits, practitioner services table (MCR_MUE_PractitionerServices, quarterly; the version in force on the date of service); CMS Medically Unlikely Edits page (cms.gov, MUE adjudication indicators 1 line edit, 2 per day by policy, 3 per day by clinical data).
    """
    table = ctx.run.mue
    if table is None or not ctx.profile.mue:
        return
    for date, indexes in ctx.lines_by_date.items():
        day_units: dict[str, list[int]] = {}
        for i in indexes:
            day_units.setdefault(cpt.compact(claim.lines[i].code), []).append(i)
        for code, lines in day_units.items():
            limit = table.limit(code, date)
            if limit is None:
                continue
            if limit.mai == 1:
                for i in lines:
                    if claim.lines[i].units > limit.max_units:
                        yield _finding(
                            claim, code, [i], claim.lines[i].units, limit, date.isoformat()
                        )
                continue
            units = sum(claim.lines[i].units for i in lines)
            if units > limit.max_units:
                yield _finding(claim, code, lines, units, limit, date.isoformat())


def _finding(
    claim: Claim, code: str, lines: list[int], units: int, limit: MueLimitLike, day: str
) -> Finding:
    first = lines[0]
    where = (
        f"lines[{first + 1}].units"
        if len(lines) == 1
        else "lines " + ", ".join(str(i + 1) for i in lines) + " together"
    )
    meaning = _MAI.get(limit.mai, f"MAI {limit.mai}")
    return mue_exceeded.finding(
        f"{where}: {units} units of {code} on {day} exceed its MUE of {limit.max_units} "
        f"({meaning})",
        line=first,
        fix=Fix(
            f"bill at most {limit.max_units} units of {code} on {day}, as the note's minutes "
            "support"
            + (
                "; units above it may be billed only to appeal with records"
                if limit.mai == 3
                else ""
            )
        ),
    )
