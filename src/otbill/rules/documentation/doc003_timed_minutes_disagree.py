"""DOC003 timed-minutes-disagree."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Case, Finding, Fix, Severity, rule


@rule(
    "DOC003",
    "timed-minutes-disagree",
    "documentation",
    Severity.ERROR,
    since="0.1.0",
    cases={
        "minutes-not-billed": Case(
            Severity.WARNING, "the note records more timed minutes than the lines bill"
        ),
    },
)
def timed_minutes_disagree(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: The minutes billed do not match the minutes written in the note.
    What it checks: the note's total timed minutes (``documentation.total_timed_minutes``)
    agree with the minutes of the timed (15-minute) lines billed, and the note's total
    treatment time (``total_treatment_minutes``) is not less than its timed minutes
    (treatment time includes the timed minutes). A note describes one visit, so the minutes
    are compared only when every line is on one date of service and every timed line records
    its minutes. Lines claiming more timed minutes than the note records are an error (the
    units are not supported); a note recording more timed minutes than the lines bill is a
    warning (a service or minutes left off the claim, or a typing error).
    Why payers deny it: timed units are billed from the total timed minutes the note records;
    on medical review, units the note's minutes do not support are denied or recouped
    (CARC 151 or 50), and a note whose total treatment time is less than its timed time is
    not credible.
    Example: 97530 with 38 minutes (3 units) while the note records 24 timed minutes; or a
    note with 24 timed minutes and a total treatment time of 20.
    Fix: correct the line's minutes (and units) or the note, whichever is wrong; the
    therapist amends the note with a dated addendum.
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §20.2 (units from total timed minutes); Pub 100-02, ch. 15, §220.3 (treatment note: total timed-code minutes and total treatment time).
    """
    note = claim.documentation
    if note is None or note.total_timed_minutes is None:
        return
    noted = note.total_timed_minutes
    total = note.total_treatment_minutes
    if total is not None and total < noted:
        yield timed_minutes_disagree.finding(
            f"the note's total treatment time ({total} minutes) is less than its timed minutes "
            f"({noted}); the treatment time includes the timed minutes",
            fix=Fix("correct the note's total treatment time or total timed minutes"),
        )
    if len(ctx.lines_by_date) != 1:
        return
    billed = 0
    timed_lines = 0
    for i, info in enumerate(ctx.infos):
        if info is None or not info.timed:
            continue
        minutes = claim.lines[i].minutes
        if minutes is None:
            return
        billed += minutes
        timed_lines += 1
    if timed_lines == 0 or billed == noted:
        return
    over = billed > noted
    yield timed_minutes_disagree.finding(
        f"the timed lines bill {billed} minutes but the note records {noted} timed minutes"
        + (
            ": the note does not support the billed time"
            if over
            else ": the note records timed minutes that are not billed"
        ),
        case=None if over else "minutes-not-billed",
        fix=Fix("correct the lines' minutes and units, or the note, whichever is wrong"),
    )
