"""UNT005 add-on-without-primary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Applicability, Finding, Fix, Severity, rule
from otbill.rules.units._facts import unit_edits
from otbill.rules.wording import day, line, plural


@rule("UNT005", "add-on-without-primary", "units", Severity.ERROR, since="0.1.0")
def add_on_without_primary(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: An add-on code is billed without its main code, or the main code is billed more
    than once a day.
    What it checks: an add-on code is billed on a date with its primary code (97130 with 97129,
    97546 with 97545, 97551 with 97550, 98981 with 98980, 97598 with 97597: the catalog's
    ``add_on_to``), on this claim or on a line already billed for that date; and a time-based
    primary code (97129 "first 15 minutes", 97545 "first 2 hours", 97550 "first 30 minutes",
    98980 "first 20 minutes") is billed for at most 1 unit a day, every further unit of the
    service being its add-on.
    Why payers deny it: an add-on code (global period ZZZ) is never paid alone; without its
    primary on the same date it is denied (CARC 107: the related or qualifying service was not
    identified). A primary covers only the first unit of the day, so a second unit is denied
    as exceeding the code's units (CARC 151; its MUE is 1).
    Example: 97130 × 2 on 14 Feb 2025 without 97129; or 97129 × 3 for 45 minutes (bill 97129 × 1
    and 97130 × 2); or 97129 × 2 and 97130 × 1 (the same 3 units: bill 97129 × 1 and 97130 × 2).
    Fix: add the primary code's line from the note, or bill the service with the primary code;
    for a primary billed more than once, bill it once and every other unit of the service that
    day as its add-on — an unsafe fix when both lines are on the claim (units are a billed
    amount), else a person adds the add-on's line.
    Source: CMS PFS relative value file RVU25D (global period ZZZ for 97130, 97546, 97551, 98981, 97598); AMA CPT add-on code conventions (97129: the first 15 minutes, once per day; 97130: each further 15 minutes); CMS NCCI MUE practitioner table (97129, 97545, 97550, 98980: 1 per day).
    """
    for date, indexes in ctx.lines_by_date.items():
        present: set[str] | None = None
        primaries: dict[str, list[int]] = {}
        for i in indexes:
            info = ctx.infos[i]
            if info is None:
                continue
            if info.max_units_day == 1 and cpt.add_on_of(info.code):
                primaries.setdefault(info.code, []).append(i)
            if info.add_on_to is None:
                continue
            if present is None:
                present = _codes_on(claim, ctx, indexes, date)
            if info.add_on_to not in present:
                primary = info.add_on_to
                yield add_on_without_primary.finding(
                    f"{line(claim, i)} is an add-on code, billed without its primary code "
                    f"{primary} that day: {info.code} is paid only with {primary}",
                    line=i,
                    fix=Fix(f"bill {primary} on {day(date)} with {info.code}, as the note shows"),
                )
        for code, group in primaries.items():
            yield from _primary_more_than_once(claim, ctx, indexes, date, code, group)


def _primary_more_than_once(
    claim: Claim, ctx: ClaimContext, indexes: list[int], date: dt.date, code: str, group: list[int]
) -> Iterator[Finding]:
    units = sum(claim.lines[i].units for i in group)
    if units <= 1:
        return
    add_on = cpt.add_on_of(code)
    assert add_on is not None
    add_on_lines = [i for i in indexes if (x := ctx.infos[i]) is not None and x.code == add_on]
    total = units + sum(claim.lines[i].units for i in add_on_lines)  # the service's units
    wanted = f"{code} × 1 and {add_on} × {total - 1}"
    fix = Fix(f"bill {wanted} on {day(date)}")
    if len(group) == 1 and len(add_on_lines) == 1:
        edits = unit_edits({group[0]: 1, add_on_lines[0]: total - 1})
        fix = Fix(f"bill {wanted}: set the units of line {group[0] + 1} to 1 and of line "
                  f"{add_on_lines[0] + 1} to {total - 1}", edits, Applicability.UNSAFE)  # fmt: skip
    also = f" (with {add_on} × {total - units}, {total} units in all)" if add_on_lines else ""
    yield add_on_without_primary.finding(
        f"{line(claim, group[0])} bills {code} for {plural(units)}{also}: {code} is the first "
        f"unit of the service and is billed once a day; every later unit is {add_on}",
        line=group[0],
        fix=fix,
    )


def _codes_on(claim: Claim, ctx: ClaimContext, indexes: list[int], date: object) -> set[str]:
    codes = {info.code for i in indexes if (info := ctx.infos[i]) is not None}
    codes.update(h.code.strip().upper() for h in claim.history if h.date == date)
    return codes
