"""UNT003 timed-code-without-minutes."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.codes import cpt
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Fix, Severity, rule
from otbill.rules.wording import plural

_TIME_BASED = (cpt.Basis.TIMED, cpt.Basis.PER_TIME)


@rule("UNT003", "timed-code-without-minutes", "units", Severity.ERROR, since="0.1.0")
def timed_code_without_minutes(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A timed code has no minutes recorded, so its units cannot be checked.
    What it checks: every line of a time-based code (15-minute codes such as 97530, and codes
    in other time units such as 97550 or 98980) records its minutes.
    Why payers deny it: the units of a timed code follow from its minutes; without them the
    units cannot be checked against the 8-minute rule, and Medicare requires the total timed
    minutes in the note — units a review cannot tie to documented minutes are recouped.
    Example: lines[1] 97530 with 2 units and no minutes.
    Fix: record the minutes from the treatment note (otbill cannot know them); the units are
    then checked by UNT001.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2; Medicare Benefit Policy Manual, Pub 100-02, ch. 15, §220.3 (the treatment note records total timed-code minutes).
    """
    for i, line in enumerate(claim.lines):
        if line.minutes is not None:
            continue
        info = ctx.infos[i]
        if info is None or info.basis not in _TIME_BASED:
            continue
        yield timed_code_without_minutes.finding(
            f"{wording.line(claim, i)} has no minutes: the "
            f"{plural(line.units)} billed for this time-based code cannot be verified",
            line=i,
            fix=Fix(f"record the minutes of line {i + 1} from the treatment note"),
        )
