"""UNT004 thin-units-pattern."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.units import timed_units_for_minutes

_TIMED = cpt.Basis.TIMED
_EDGE = range(8, 11)  # minutes past a multiple of 15 that still earn a unit: 8, 9, 10
_MIN_DATES = 2


@rule("UNT004", "thin-units-pattern", "units", Severity.WARNING, since="0.1.0")
def thin_units_pattern(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: Every visit bills the most units the minutes allow, a pattern auditors review.
    What it checks: a review signal, not an error. The claim has at least two dates of service
    and on every one of them the day's timed minutes sit right at a unit threshold of the
    8-minute rule — 8 to 10 minutes past a multiple of 15 (8–10, 23–25, 38–40, 53–55 ...) — with
    exactly the units the CMS table allows for them, so every visit averages under 15 minutes
    per unit and would have earned one unit less with 3 minutes less treatment. Precisely: every
    timed line records its minutes, total timed minutes T ≥ 8, the timed units billed equal
    floor((T + 7) / 15), and T mod 15 is 8, 9 or 10, on each of at least 2 dates. History lines
    carry no minutes, so only this claim's dates are counted.
    Why payers deny it: the units are legal, but auditors (MACs, RACs, the OIG) look for "units
    maximised by the 8-minute rule on every visit"; a consistent pattern invites a targeted
    review and recoupment if the notes do not support the minutes.
    Example: 38 timed minutes billed as 3 units on 2025-02-03, 2025-02-10 and 2025-02-17.
    Fix: none needed when the notes document the minutes actually spent; review the notes'
    minutes and the scheduling pattern.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2 (8-minute rule unit table: 8–22 minutes 1 unit, 23–37 2 units, and so on).
    """
    dates = ctx.lines_by_date
    if len(dates) < _MIN_DATES:
        return
    pattern: list[str] = []
    for date, indexes in dates.items():
        minutes = units = 0
        for i in indexes:
            info = ctx.infos[i]
            if info is None or info.basis is not _TIMED:
                continue
            line = claim.lines[i]
            if line.minutes is None:
                return
            minutes += line.minutes
            units += line.units
        if minutes < 8 or minutes % 15 not in _EDGE or units != timed_units_for_minutes(minutes):
            return
        pattern.append(f"{wording.day(date)}: {minutes} min → {units}")
    yield thin_units_pattern.finding(
        f"every date of service bills the most units the 8-minute rule allows, with timed "
        f"minutes 8–10 past a multiple of 15 ({'; '.join(pattern)}): a pattern auditors review "
        "as units maximised by the 8-minute rule",
        fix=Fix("check that each note documents the timed minutes actually spent"),
    )
