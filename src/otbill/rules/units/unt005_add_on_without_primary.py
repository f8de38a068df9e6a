"""UNT005 add-on-without-primary."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule

# Add-on code → the primary code it is reported with on the same date.
_PRIMARY = {
    "97130": "97129",
    "97546": "97545",
    "97551": "97550",
    "98981": "98980",
    "97598": "97597",
}
_ONCE_A_DAY = {"97129": "97130"}  # first-15-minutes code → its add-on for the rest


@rule("UNT005", "add-on-without-primary", "units", Severity.ERROR, since="0.1.0")
def add_on_without_primary(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    What it checks: an add-on code is billed on a date with its primary code (97130 with 97129,
    97546 with 97545, 97551 with 97550, 98981 with 98980, 97598 with 97597), on this claim or
    on a line already billed for that date; and 97129 (cognitive function intervention, first
    15 minutes) is billed for at most 1 unit a day, further 15-minute units being 97130.
    Why payers deny it: an add-on code (global period ZZZ) is never paid alone; without its
    primary on the same date it is denied (CARC 107: the related or qualifying service was not
    identified). 97129 covers only the first 15 minutes of the day, so a second unit is denied
    as exceeding the code's units (CARC 151).
    Example: 97130 × 2 on 2025-02-14 without 97129; or 97129 × 3 for 45 minutes (bill 97129 × 1
    and 97130 × 2).
    Fix: add the primary code's line from the note, or bill the service with the primary code;
    for 97129, bill 1 unit and the rest as 97130.
    Source: CMS PFS relative value file RVU25D (global period ZZZ for 97130, 97546, 97551, 98981, 97598); AMA CPT add-on code conventions (97129: the first 15 minutes, once per day; 97130: each further 15 minutes); CMS NCCI MUE practitioner table (97129: 1 per day).
    """
    for date, indexes in ctx.lines_by_date.items():
        present: set[str] | None = None
        once: dict[str, int] = {}
        for i in indexes:
            info = ctx.infos[i]
            if info is None:
                continue
            code = info.code
            if code in _ONCE_A_DAY:
                once[code] = once.get(code, 0) + claim.lines[i].units
                continue
            primary = _PRIMARY.get(code)
            if primary is None:
                continue
            if present is None:
                present = _codes_on(claim, ctx, indexes, date)
            if primary not in present:
                yield add_on_without_primary.finding(
                    f"lines[{i + 1}] {code} on {date.isoformat()} is an add-on code billed "
                    f"without its primary code {primary} that date",
                    line=i,
                    fix=Fix(f"bill {primary} on {date.isoformat()} with {code}, as the note shows"),
                )
        for code, total in once.items():
            if total > 1:
                first = next(i for i in indexes if (x := ctx.infos[i]) and x.code == code)
                addon = _ONCE_A_DAY[code]
                yield add_on_without_primary.finding(
                    f"lines[{first + 1}] {code} on {date.isoformat()}: {total} units billed; "
                    f"{code} is the first 15 minutes and is billed once a day, further units "
                    f"are {addon}",
                    line=first,
                    fix=Fix(f"bill {code} × 1 and {addon} × {total - 1} on {date.isoformat()}"),
                )


def _codes_on(claim: Claim, ctx: ClaimContext, indexes: list[int], date: object) -> set[str]:
    codes = {info.code for i in indexes if (info := ctx.infos[i]) is not None}
    codes.update(h.code.strip().upper() for h in claim.history if h.date == date)
    return codes
