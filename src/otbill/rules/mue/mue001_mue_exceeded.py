"""MUE001 mue-exceeded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.errors import CodeError
from otbill.rules.context import ClaimContext, MueLimitLike
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.wording import day, lines, plural

_MAI = {
    1: "a limit per line: a line with more units is denied",
    2: "a limit per day set by policy: absolute, it cannot be appealed",
    3: "a limit per day set from clinical data: the denial may be appealed with documentation "
    "that the units were medically necessary",
}


def _medicare_only(code: str, on: dt.date) -> bool:
    """Whether Medicare does not recognise the code at all (PFS status I, e.g. 97014): its MUE
    then reflects Medicare's status, not how many units a payer that covers the code pays."""
    try:
        return cpt.lookup(code, on).medicare_status == "I"
    except CodeError:
        return False


@rule("MUE001", "mue-exceeded", "mue", Severity.ERROR, since="0.1.0")
def mue_exceeded(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: More units of a code are billed in a day than payers accept for any patient.
    What it checks: the units of a code against its Medically Unlikely Edit (MUE) for the date
    of service — per line for MUE adjudication indicator (MAI) 1, and summed over every line of
    the claim with that code and date for MAI 2 and 3. An MUE of 0 means any unit exceeds it.
    The edits apply as the payer profile says (``mue``): Medicare and the profiles that inherit
    from it apply them; the commercial profiles do not, unless the plan's own profile opts in
    with ``mue: true``. For a payer that does not follow the Medicare fee schedule's status
    indicators (``pfs_status_edits: false``), a code Medicare does not recognise (status I,
    such as 97014, whose MUE is 0 by Medicare policy) is not held to Medicare's MUE.
    Why payers deny it: Medicare and payers that follow NCCI deny the line (for MAI 2 and 3,
    every line of the code that day) in full, not just the extra units (CARC 151, RARC N362). MAI 2 limits come from policy (one
    evaluation a day) and are absolute; MAI 3 limits come from clinical data and can be
    appealed with records.
    Example: 97530 × 7 units on 14 Feb 2025 (MUE 6, MAI 3); 97165 × 2 (MUE 1, MAI 2); 97112 × 3
    on one line and × 2 on another the same day (5 > 4).
    Fix: bill the units the note supports, at most the MUE; check the minutes (the units rules
    recompute units from minutes). For MAI 3, units truly above the MUE are billed and appealed
    with documentation.
    Source: CMS Medicare NCCI Medically Unlikely Edits, practitioner services table (MCR_MUE_PractitionerServices, quarterly; the version in force on the date of service); CMS Medically Unlikely Edits page (cms.gov, MUE adjudication indicators 1 line edit, 2 per day by policy, 3 per day by clinical data); CMS PFS relative value file RVU25D, status indicator I (not valid for Medicare purposes); the payer profile's ``mue`` and ``pfs_status_edits``.
    """
    table = ctx.run.mue
    if table is None or not ctx.profile.mue:
        return
    for date, indexes in ctx.lines_by_date.items():
        day_units: dict[str, list[int]] = {}
        for i in indexes:
            day_units.setdefault(cpt.compact(claim.lines[i].code), []).append(i)
        for code, group in day_units.items():
            limit = table.limit(code, date)
            if limit is None:
                continue
            if not ctx.profile.pfs_status_edits and _medicare_only(code, date):
                continue
            if limit.mai == 1:
                for i in group:
                    if claim.lines[i].units > limit.max_units:
                        yield _finding(claim, ctx, code, [i], claim.lines[i].units, limit, date)
                continue
            units = sum(claim.lines[i].units for i in group)
            if units > limit.max_units:
                yield _finding(claim, ctx, code, group, units, limit, date)


def _finding(
    claim: Claim,
    ctx: ClaimContext,
    code: str,
    group: list[int],
    units: int,
    limit: MueLimitLike,
    date: dt.date,
) -> Finding:
    verb = " together bill" if len(group) > 1 else " bills"
    meaning = _MAI.get(limit.mai, f"adjudication indicator {limit.mai}")
    allowed = "no unit" if limit.max_units == 0 else plural(limit.max_units)
    return mue_exceeded.finding(
        f"{lines(claim, group)}{verb} {plural(units)} of {code}; its medically unlikely "
        f"edit (MUE) allows {allowed} on one day ({meaning})",
        line=group[0],
        fix=Fix(
            f"bill at most {plural(limit.max_units)} of {code} on {day(date)}, as the note's "
            "minutes support"
            + (
                "; units above it may be billed only to appeal with records"
                if limit.mai == 3
                else ""
            )
        ),
        source=ctx.profile.source("mue", mue_exceeded.doc.source)
        if "mue" in ctx.profile.sources
        else None,
    )
