"""CMP002 maximum-units-every-visit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

_MIN_DATES = 3
_FALLBACK_UNITS = 4  # when the code has no MUE (or an MUE below 2): four units, 53+ minutes


@rule("CMP002", "maximum-units-every-visit", "compliance", Severity.WARNING, since="0.1.0")
def maximum_units_every_visit(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The same code is billed at its most units on every visit, a pattern auditors look
    for.
    What it checks: a timed code billed on this claim at its maximum on every date the patient
    has it — this claim and the lines already billed (history) — over at least 3 dates. The
    maximum is the code's MUE on that date when the MUE is 2 or more, otherwise 4 units (53
    minutes or more of that one code).
    Why payers deny it: the same, maximal number of units at every visit suggests units billed
    by habit rather than from each day's minutes; payers' data analysis and targeted medical
    review pick out such patterns, and unsupported units are denied or recouped.
    Example: 97530 × 6 units (its MUE) on 2025-01-31, 2025-02-07 and 2025-02-14.
    Fix: confirm each visit's units against the minutes its note records; nothing to change
    when the notes support them.
    Source: NCCI MUE practitioner table (the per-day maximum); Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2 (units from each day's timed minutes); Medicare Program Integrity Manual, Pub 100-08, ch. 2 (data analysis to identify aberrant billing patterns).
    """
    if len(claim.history) + len(ctx.lines_by_date) < _MIN_DATES:
        return
    billed: dict[str, dict[dt.date, int]] = {}
    first_line: dict[str, int] = {}
    for i, line in enumerate(claim.lines):
        info = ctx.infos[i]
        if info is None or not info.timed or line.units < 2:  # every maximum is 2 or more
            continue
        days = billed.setdefault(info.code, {})
        days[line.date] = days.get(line.date, 0) + line.units
        first_line.setdefault(info.code, i)
    billed = {
        code: days
        for code, days in billed.items()
        if all(units >= _maximum(ctx, code, day) for day, units in days.items())
    }
    if not billed:
        return
    earlier: dict[str, dict[dt.date, int]] = {}
    for past in claim.history:
        code = past.code if past.code in billed else cpt.compact(past.code)
        ours = billed.get(code)
        if ours is None or past.date in ours or past.claim_id == claim.claim_id:
            continue
        before = earlier.setdefault(code, {})
        before[past.date] = before.get(past.date, 0) + past.units
    for code, days in billed.items():
        before = earlier.get(code, {})
        if len(days) + len(before) < _MIN_DATES:
            continue
        if all(units >= _maximum(ctx, code, day) for day, units in before.items()):
            everyday = {**before, **days}
            yield _finding(claim, code, first_line[code], everyday, _maximum(ctx, code, max(days)))


def _maximum(ctx: ClaimContext, code: str, day: dt.date) -> int:
    limit = ctx.run.mue.limit(code, day) if ctx.run.mue is not None else None
    if limit is not None and limit.max_units >= 2:
        return limit.max_units
    return _FALLBACK_UNITS


def _finding(claim: Claim, code: str, i: int, days: dict[dt.date, int], maximum: int) -> Finding:
    listed = ", ".join(f"{wording.day(day)} × {days[day]}" for day in sorted(days))
    return maximum_units_every_visit.finding(
        f"{wording.line(claim, i)} is billed at its maximum ({maximum} units) on every one "
        f"of its {len(days)} dates ({listed}): a pattern auditors look for",
        line=i,
        fix=Fix(f"check each date's units of {code} against the minutes its note records"),
    )
