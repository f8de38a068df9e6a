"""THR002 kx-below-threshold."""

from __future__ import annotations

from collections.abc import Iterator

from otbill.domain.claim import Claim
from otbill.rules import wording
from otbill.rules.context import ClaimContext
from otbill.rules.modifier._lines import modifiers_of
from otbill.rules.registry import Applicability, Edit, Finding, Fix, Severity, rule
from otbill.rules.threshold._running import money, running


@rule("THR002", "kx-below-threshold", "threshold", Severity.WARNING, since="0.1.0")
def kx_below_threshold(claim: Claim, ctx: ClaimContext) -> Iterator[Finding]:
    """
    In short: KX is on a line while the patient is still under this year's therapy threshold.
    What it checks: KX is not on a line while the year-to-date allowed amount plus this claim's
    lines up to the end of that line's date of service is still at or below the payer's KX
    threshold for the year (lines of the date that goes over the threshold may all carry KX).
    Allowed amounts come from the fee schedule, else from line charges (which overstate them,
    so a line found below the threshold by charges is below it by allowed amounts too).
    Why payers deny it: KX attests that services above the threshold are medically necessary;
    putting it on low-cost early services to get past the threshold edits is treated as abusive
    and invites review.
    Example: ytd $600.00, 2025 threshold $2,410.00, lines[1] 97530 with modifiers ['GO', 'KX'].
    Fix: remove KX (a person confirms: the year-to-date amount may be incomplete).
    Source: Medicare Claims Processing Manual, Pub 100-04, ch. 5, §10.3 and §10.3.3 (KX use; use on early low-cost services is abusive); SSA §1833(g)(7) (KX threshold).
    """
    if not any("KX" in line.modifiers or "kx" in line.modifiers for line in claim.lines):
        return
    threshold = ctx.profile.kx_threshold(ctx.first_date.year)
    if threshold is None:
        return
    run = running(claim, ctx)
    for step in run.steps:
        if step.day_end > threshold:
            break
        line = claim.lines[step.at]
        mods = modifiers_of(line)
        if "KX" not in mods:
            continue
        i = step.at
        yield kx_below_threshold.finding(
            f"{wording.line(claim, i)} carries KX, but year-to-date "
            f"{claim.discipline} allowed {money(run.ytd)} plus this claim's lines through "
            f"{wording.day(line.date)} make {money(step.day_end)}, not over the {run.year} KX "
            f"threshold of {money(threshold)}",
            line=i,
            fix=Fix(
                f"remove KX from line {i + 1}",
                (Edit("modifiers", tuple(m for m in mods if m != "KX"), line=i),),
                Applicability.UNSAFE,
            ),
            source=ctx.profile.source("kx"),
        )
