"""COD003 evaluation-twice-in-a-day."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.registry import Finding, Severity, rule


@rule("COD003", "evaluation-twice-in-a-day", "code", Severity.ERROR, since="0.1.0")
def evaluation_twice_in_a_day(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: Two evaluations or re-evaluations are billed on one day; only one is paid.
    What it checks: at most one evaluation or re-evaluation (97165–97168, and the PT, SLP and
    athletic-training evaluations) is billed for the patient on one date of service, on this
    claim or on lines already billed.
    Why payers deny it: the NCCI policy manual allows one evaluation or re-evaluation per date
    of service; the evaluation pairs carry NCCI edits with modifier indicator 0 and a
    per-day MUE of 1, so the second is denied (CARC 97 or 151).
    Example: 97165 and 97168 on 2025-02-14, or 97166 billed on two lines that day.
    Fix: keep the one evaluation that the note documents; remove the other line.
    Source: NCCI Policy Manual for Medicare Services, ch. XI (one evaluation per date of service); MUE practitioner table (MAI 2).
    """
    for date, indexes in ctx.lines_by_date.items():
        evaluations = [i for i in indexes if (info := ctx.infos[i]) and info.is_evaluation]
        earlier = [
            h for h in claim.history
            if h.date == date and h.claim_id != claim.claim_id and _is_evaluation(h.code)
        ]  # fmt: skip
        for n, i in enumerate(evaluations):
            if n == 0 and not earlier:
                continue
            others = [claim.lines[j].code for j in evaluations if j != i]
            others += [f"{h.code} (claim {h.claim_id})" for h in earlier]
            yield evaluation_twice_in_a_day.finding(
                f"{wording.line(claim, i)} is a second evaluation on "
                f"{wording.day(date)} (also billed: {', '.join(others)})",
                line=i,
            )


def _is_evaluation(code: str) -> bool:
    from otbill.codes import cpt

    return cpt.is_valid(code) and cpt.lookup(code).is_evaluation
