"""NCC002 bypass-modifier-without-edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from otbill.codes import cpt
from otbill.codes.modifiers import NCCI_BYPASS
from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.ncci._facts import ptp_source
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule


@rule("NCC002", "bypass-modifier-without-edit", "ncci", Severity.WARNING, since="0.1.0")
def bypass_modifier_without_edit(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: A 'distinct service' modifier (59, XE, XS, XP, XU) is used where no code pair
    needs it.
    What it checks: a line carrying 59 or XE/XS/XP/XU when no active NCCI PTP edit pairs its
    code with any other code billed for the patient that day (on this claim or on the earlier
    claims in its history). Days with a code outside otbill's catalog are skipped (the edit
    may be with that code), and so are per-line (MAI 1) MUE codes split over several lines.
    Why payers deny it: modifier 59 and the X{EPSU} modifiers exist only to bypass PTP edits
    for distinct services; NCCI forbids using them without such a reason, and auditors (CERT,
    RACs) treat a habitual 59 as a red flag for unbundling.
    Example: 97110 with GO and 59 billed alone on 2025-02-14; or 97530-59 billed with 97110
    (no edit pairs 97110 and 97530).
    Fix: remove the bypass modifier, unless the payer has its own edit for the pair (some
    commercial payers still bundle pairs that CMS deleted, e.g. 97140 with 97530).
    Source: NCCI Policy Manual for Medicare Services, ch. I, §E (modifier 59 "should not be used solely to bypass" an edit; X{EPSU}, CR 8863); CMS NCCI PTP edits, practitioner table.
    """
    table = ctx.run.ncci
    if table is None or not ctx.profile.ncci:
        return
    flagged = [i for i, ln in enumerate(claim.lines) if not NCCI_BYPASS.isdisjoint(ln.modifiers)]
    if not flagged:
        return
    for i in flagged:
        line = claim.lines[i]
        code = cpt.compact(line.code)
        others = _other_codes(claim, i, line.date)
        if others is None or _split_line_edit(ctx, claim, i, code):
            continue
        paired = any(
            code in (e.column1, e.column2)
            for e in table.active_pairs_for(others | {code}, line.date)
        )
        if paired:
            continue
        bypass = [m for m in line.modifiers if m in NCCI_BYPASS]
        kept = tuple(m for m in line.modifiers if m not in NCCI_BYPASS)
        billed = ", ".join(sorted(others)) if others else "no other code"
        yield bypass_modifier_without_edit.finding(
            f"{wording.line(claim, i)} carries {', '.join(bypass)} but no "
            f"active NCCI PTP edit pairs {code} with another code billed on "
            f"{wording.day(line.date)} ({billed}): a bypass modifier must not be used without "
            "an edit to bypass",
            line=i,
            fix=Fix(
                f"remove {', '.join(bypass)} from line {i + 1}, unless this payer has its own "
                "edit for the pair",
                (Edit("modifiers", kept, line=i),),
                Applicability.UNSAFE,
            ),
            source=ptp_source(ctx),
        )


def _other_codes(claim: Claim, index: int, date: dt.date) -> set[str] | None:
    """Other codes billed for the patient that day; None when one is outside the catalog."""
    codes = [ln.code for j, ln in enumerate(claim.lines) if j != index and ln.date == date]
    codes += [h.code for h in claim.history if h.date == date and h.claim_id != claim.claim_id]
    if not all(cpt.is_valid(c) for c in codes):
        return None
    return {cpt.compact(c) for c in codes}


def _split_line_edit(ctx: ClaimContext, claim: Claim, index: int, code: str) -> bool:
    """A per-line (MAI 1) MUE code reported on several lines may carry 59 to mark them distinct."""
    limit = ctx.run.mue.limit(code, claim.lines[index].date) if ctx.run.mue else None
    if limit is None or limit.mai != 1:
        return False
    date = claim.lines[index].date
    return any(
        j != index and ln.date == date and cpt.compact(ln.code) == code
        for j, ln in enumerate(claim.lines)
    )
